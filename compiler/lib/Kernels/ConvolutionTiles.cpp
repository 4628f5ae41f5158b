//===- ConvolutionTiles.cpp - The register tile of a convolution ----------===//
//
// No tuning step: the tile follows from the shape and the register file.
//
//===----------------------------------------------------------------------===//

#include "cnnc/Kernels/ConvolutionTiles.h"

#include <algorithm>
#include <cmath>

namespace cnnc {

/// The lanes: the widest vector that divides the channels (so 24 channels
/// take 8-lane vectors on AVX-512 too). The accumulators: the vector
/// registers (AVX-512's 32, AVX2's 16) but the weights', the broadcast's
/// and one to spare (LLVM interleaves two reduction steps; without the
/// spare, AVX2's 14x1 tile spilled accumulators to the stack). Among 1 to
/// 4 vectors of channels (that divide them), the tile with the highest
/// share of the FMA units' throughput wins: a step issues `rows * vectors`
/// FMAs and `rows + vectors` loads, two of each per cycle, and takes at
/// least the FMA latency (each accumulator waits for its previous FMA);
/// `rows` is the average over the row (a remainder tile counts its idle
/// accumulators). On a tie, fewer loads per FMA, then a tile that divides
/// the row, then the larger tile. Fewer channels than a vector's lanes
/// that no 4-lane vector divides (3, 6) take one vector, masked.
int64_t vectorLanes(int64_t channels, unsigned vectorBits) {
  int64_t lanes = vectorBits / 32;
  while (lanes > 1 && channels % lanes != 0)
    lanes /= 2;
  return lanes;
}

/// The least share of the FMA units' throughput worth a tile.
constexpr double kMinShare = 0.25;

std::optional<ConvolutionTile> chooseConvolutionTile(int64_t width,
                                                     int64_t channels,
                                                     unsigned vectorBits) {
  if (width < 1 || channels < 1)
    return std::nullopt;
  int64_t lanes = vectorLanes(channels, vectorBits);
  bool masked = false;
  if (lanes < 4) {
    if (channels >= static_cast<int64_t>(vectorBits / 32))
      return std::nullopt;
    // One vector, its lanes beyond the channels masked off.
    lanes = 4;
    while (lanes < channels)
      lanes *= 2;
    channels = lanes;
    masked = true;
  }
  int64_t registers = vectorBits >= 512 ? 32 : 16;
  constexpr double kIssuePerCycle = 2; // FMAs, and loads
  constexpr double kFmaLatency = 5;    // cycles
  std::optional<ConvolutionTile> best;
  double bestScore = 0, bestLoads = 0;
  for (int64_t vectors = 1; vectors <= 4; ++vectors) {
    if ((channels / lanes) % vectors != 0)
      continue;
    int64_t maxRows = (registers - vectors - 2) / vectors;
    if (maxRows < 1)
      continue;
    // Every row count up to the most that fit, from the most down: a
    // smaller tile that divides the row can beat a remainder tile.
    for (int64_t rows = std::min(maxRows, width); rows >= 1; --rows) {
      int64_t tiles = (width + rows - 1) / rows;
      double averageRows = static_cast<double>(width) / tiles;
      double fmas = averageRows * vectors, loads = averageRows + vectors;
      double cycles = std::max(
          {fmas / kIssuePerCycle, loads / kIssuePerCycle, kFmaLatency});
      double score = fmas / kIssuePerCycle / cycles;
      double perFma = loads / fmas;
      bool tie = std::abs(score - bestScore) < 1e-9;
      bool sameLoads = std::abs(perFma - bestLoads) < 1e-9;
      // On a tie, a tile that divides the row (no remainder tile: half
      // the code) beats a larger one that does not.
      bool divides = best && width % rows == 0 && width % best->rows != 0;
      if (score > bestScore + 1e-9 ||
          (tie && best && perFma < bestLoads - 1e-9) ||
          (tie && sameLoads && divides)) {
        bestScore = score;
        bestLoads = perFma;
        best = ConvolutionTile{rows, vectors, lanes, masked};
      }
    }
  }
  // A tile that keeps the FMA units less than a quarter busy (a row of one
  // pixel in one vector: each accumulator waits on its previous FMA, as in
  // a classifier's product at batch 1) loses to the generic loops, whose
  // innermost loop streams the channels through memory.
  if (bestScore < kMinShare)
    return std::nullopt;
  return best;
}

} // namespace cnnc
