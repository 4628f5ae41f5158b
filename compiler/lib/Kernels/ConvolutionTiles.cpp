//===- ConvolutionTiles.cpp - The register tile of a convolution ----------===//
//
// No tuning step: the tile follows from the shape and the register file.
//
//===----------------------------------------------------------------------===//

#include "cnnc/Kernels/ConvolutionTiles.h"

#include <cmath>

namespace cnnc {

namespace {

/// Output pixels per tile for a row of `width`: all of it when it fits in
/// `maxRows`, else the largest size from maxRows down to half of it that
/// divides the row, else maxRows with a remainder tile.
int64_t chooseRows(int64_t width, int64_t maxRows) {
  if (width <= maxRows)
    return width;
  for (int64_t rows = maxRows; rows * 2 >= maxRows; --rows)
    if (width % rows == 0)
      return rows;
  return maxRows;
}

} // namespace

/// The lanes: the widest vector that divides the channels (so 24 channels
/// take 8-lane vectors on AVX-512 too). The accumulators: all the vector
/// registers (AVX-512's 32, AVX2's 16) but the weights' and the
/// broadcast's. Among 1 to 4 vectors of channels (that divide them), the
/// tile with the most accumulators in use on average over the row wins (an
/// FMA per accumulator per load of a weight vector or an input value); on
/// a tie, the one with fewer loads per step (rows + vectors).
std::optional<ConvolutionTile> chooseConvolutionTile(int64_t width,
                                                     int64_t channels,
                                                     unsigned vectorBits) {
  int64_t lanes = vectorBits / 32;
  while (lanes >= 4 && channels % lanes != 0)
    lanes /= 2;
  if (lanes < 4 || width < 1)
    return std::nullopt;
  int64_t registers = vectorBits >= 512 ? 32 : 16;
  std::optional<ConvolutionTile> best;
  double bestScore = 0;
  for (int64_t vectors = 1; vectors <= 4; ++vectors) {
    if ((channels / lanes) % vectors != 0)
      continue;
    int64_t rows = chooseRows(width, (registers - vectors - 1) / vectors);
    int64_t tiles = (width + rows - 1) / rows;
    double score = static_cast<double>(width) / tiles * vectors;
    bool tie = std::abs(score - bestScore) < 1e-9;
    if (score > bestScore + 1e-9 ||
        (tie && best && rows + vectors < best->rows + best->vectors)) {
      bestScore = score;
      best = ConvolutionTile{rows, vectors, lanes};
    }
  }
  return best;
}

} // namespace cnnc
