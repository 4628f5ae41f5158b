//===- ConvolutionTiles.h - The register tile of a convolution --*- C++ -*-===//
//
// The cost model of cnnc-register-tile-convolutions, shared with
// `cnnc compile --report`, which shows each convolution's choice.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_KERNELS_CONVOLUTIONTILES_H
#define CNNC_KERNELS_CONVOLUTIONTILES_H

#include <cstdint>
#include <optional>

namespace cnnc {

/// The register tile of a channels-last convolution: `rows` output pixels
/// along a row, `vectors` SIMD vectors of `lanes` output channels each.
/// `masked`: fewer channels than one vector's lanes (LeNet's 6), in one
/// vector whose lanes beyond them are masked off in loads and stores.
struct ConvolutionTile {
  int64_t rows;
  int64_t vectors;
  int64_t lanes;
  bool masked = false;
};

/// The widest vector of up to `vectorBits` bits whose lanes (floats)
/// divide `channels`: 16, 8, 4, 2 or 1.
int64_t vectorLanes(int64_t channels, unsigned vectorBits);

/// The tile for an output row of `width` pixels and `channels` output
/// channels with vectors of up to `vectorBits` bits (512: AVX-512, 256:
/// AVX2). Channels that no vector of 4 lanes or more divides take one
/// masked vector when there are fewer of them than the widest vector's
/// lanes (the smallest vector of 4 lanes or more that holds them); else,
/// or when the best tile would keep the FMA units less than a quarter busy
/// (a row of one pixel), nothing (the convolution keeps the generic
/// loops).
std::optional<ConvolutionTile> chooseConvolutionTile(int64_t width,
                                                     int64_t channels,
                                                     unsigned vectorBits);

/// The tile of a depthwise convolution with `kernelW` kernel columns and
/// `strideW` / `dilationW` along the row: a kernel row's step loads each
/// input column the tile's pixels meet once and uses it for every (pixel,
/// kernel column) it serves (3 loads for 3 FMAs become about 1 with unit
/// stride), so the row's weights stay in registers too.
std::optional<ConvolutionTile>
chooseDepthwiseTile(int64_t width, int64_t channels, int64_t kernelW,
                    int64_t strideW, int64_t dilationW, unsigned vectorBits);

/// How many distinct input columns `rows` adjacent output pixels read
/// through `kernelW` kernel columns: (rows - 1) * stride + kernelW with
/// unit dilation and stride up to the kernel width.
int64_t distinctDepthwiseColumns(int64_t rows, int64_t kernelW,
                                 int64_t strideW, int64_t dilationW);

} // namespace cnnc

#endif // CNNC_KERNELS_CONVOLUTIONTILES_H
