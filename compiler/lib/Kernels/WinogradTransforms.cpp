//===- WinogradTransforms.cpp - The matrices of F(m x m, 3 x 3) -----------===//

#include "cnnc/Kernels/WinogradTransforms.h"

#include <cassert>

namespace cnnc {

const WinogradTransform &winogradTransform(int64_t m) {
  // F(2, 3): points 0, 1, -1, infinity.
  static const WinogradTransform f2{
      2, 3, 4,
      {1, 0, -1, 0, //
       0, 1, 1, 0,  //
       0, -1, 1, 0, //
       0, 1, 0, -1},
      {1, 0, 0,          //
       0.5, 0.5, 0.5,    //
       0.5, -0.5, 0.5,   //
       0, 0, 1},
      {1, 1, 1, 0, //
       0, 1, -1, -1}};
  // F(4, 3): points 0, 1, -1, 2, -2, infinity.
  static const WinogradTransform f4{
      4, 3, 6,
      {4, 0, -5, 0, 1, 0,   //
       0, -4, -4, 1, 1, 0,  //
       0, 4, -4, -1, 1, 0,  //
       0, -2, -1, 2, 1, 0,  //
       0, 2, -1, -2, 1, 0,  //
       0, 4, 0, -5, 0, 1},
      {1.0 / 4, 0, 0,                   //
       -1.0 / 6, -1.0 / 6, -1.0 / 6,    //
       -1.0 / 6, 1.0 / 6, -1.0 / 6,     //
       1.0 / 24, 1.0 / 12, 1.0 / 6,     //
       1.0 / 24, -1.0 / 12, 1.0 / 6,    //
       0, 0, 1},
      {1, 1, 1, 1, 1, 0,   //
       0, 1, -1, 2, -2, 0, //
       0, 1, 1, 4, 4, 0,   //
       0, 1, -1, 8, -8, 1}};
  assert((m == 2 || m == 4) && "F(2, 3) and F(4, 3) only");
  return m == 2 ? f2 : f4;
}

std::vector<float> transformWinogradFilter(const WinogradTransform &t,
                                           const std::vector<float> &filter,
                                           int64_t inputChannels,
                                           int64_t outputChannels) {
  int64_t a = t.alpha, r = t.r;
  int64_t pairs = inputChannels * outputChannels;
  std::vector<float> result(a * a * pairs);
  std::vector<double> g(r * r), gg(a * r);
  for (int64_t pair = 0; pair < pairs; ++pair) {
    // [KH, KW, C, F]: tap (i, j) of the pair (c, f) = c * F + f.
    for (int64_t i = 0; i < r; ++i)
      for (int64_t j = 0; j < r; ++j)
        g[i * r + j] = filter[(i * r + j) * pairs + pair];
    for (int64_t x = 0; x < a; ++x)
      for (int64_t j = 0; j < r; ++j) {
        double sum = 0;
        for (int64_t i = 0; i < r; ++i)
          sum += t.filterTransform[x * r + i] * g[i * r + j];
        gg[x * r + j] = sum;
      }
    for (int64_t x = 0; x < a; ++x)
      for (int64_t y = 0; y < a; ++y) {
        double sum = 0;
        for (int64_t j = 0; j < r; ++j)
          sum += gg[x * r + j] * t.filterTransform[y * r + j];
        result[(x * a + y) * pairs + pair] = static_cast<float>(sum);
      }
  }
  return result;
}

} // namespace cnnc
