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
struct ConvolutionTile {
  int64_t rows;
  int64_t vectors;
  int64_t lanes;
};

/// The widest vector of up to `vectorBits` bits whose lanes (floats)
/// divide `channels`: 16, 8, 4, 2 or 1.
int64_t vectorLanes(int64_t channels, unsigned vectorBits);

/// The tile for an output row of `width` pixels and `channels` output
/// channels with vectors of up to `vectorBits` bits (512: AVX-512, 256:
/// AVX2), or nothing when no vector of 4 lanes or more divides the
/// channels (the convolution keeps the generic loops).
std::optional<ConvolutionTile> chooseConvolutionTile(int64_t width,
                                                     int64_t channels,
                                                     unsigned vectorBits);

} // namespace cnnc

#endif // CNNC_KERNELS_CONVOLUTIONTILES_H
