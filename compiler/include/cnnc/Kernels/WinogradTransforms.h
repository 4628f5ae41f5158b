//===- WinogradTransforms.h - The matrices of F(m x m, 3 x 3) ---*- C++ -*-===//
//
// Winograd's minimal filtering F(m, r) computes m outputs of an r-tap
// correlation from alpha = m + r - 1 inputs with alpha products:
//
//   y = A^T [(G g) * (B^T d)]
//
// and nested in two dimensions Y = A^T [(G g G^T) * (B^T d B)] A, with `*`
// elementwise over the alpha x alpha tile. The matrices follow Lavin and
// Gray, "Fast Algorithms for Convolutional Neural Networks" (2016): the
// interpolation points 0, 1, -1 for F(2, 3) and 0, 1, -1, 2, -2 for
// F(4, 3), plus the point at infinity.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_KERNELS_WINOGRADTRANSFORMS_H
#define CNNC_KERNELS_WINOGRADTRANSFORMS_H

#include <cstdint>
#include <vector>

namespace cnnc {

struct WinogradTransform {
  int64_t m;     // outputs per tile side
  int64_t r;     // filter taps (3)
  int64_t alpha; // inputs per tile side: m + r - 1
  /// Row-major: inputTransform is B^T (alpha x alpha), filterTransform G
  /// (alpha x r), outputTransform A^T (m x alpha).
  std::vector<double> inputTransform, filterTransform, outputTransform;
};

/// F(m, 3) for m = 2 or 4.
const WinogradTransform &winogradTransform(int64_t m);

/// G g G^T for every (input channel, output channel) of a [3, 3, C, F]
/// filter: [alpha * alpha, C, F], the products' weights.
std::vector<float> transformWinogradFilter(const WinogradTransform &transform,
                                           const std::vector<float> &filter,
                                           int64_t inputChannels,
                                           int64_t outputChannels);

} // namespace cnnc

#endif // CNNC_KERNELS_WINOGRADTRANSFORMS_H
