//===- ConvolutionTiles.cpp - The register tile of a convolution ----------===//
//
// No tuning step: the tile follows from the shape and the register file.
//
//===----------------------------------------------------------------------===//

#include "cnnc/Kernels/ConvolutionTiles.h"

#include <algorithm>
#include <cmath>
#include <vector>

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

namespace {

/// What one step of a tile's reduction costs: `fmas` FMAs and `loads`
/// loads for an average of `rows` pixels and `vectors` vectors, each
/// accumulator taking `chain` dependent FMAs; and the registers it holds
/// besides the accumulators.
struct Step {
  double fmas, loads, chain;
  int64_t otherRegisters;
};

/// The best tile by the throughput model over every vector count (1 to
/// 4, dividing the channels) and row count that fit, `step(rows,
/// averageRows, vectors)` costing each; nothing for none worth it.
template <typename StepFn>
std::optional<ConvolutionTile> searchTiles(int64_t width, int64_t channels,
                                           unsigned vectorBits, StepFn step) {
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
    // Every row count that fits, from the most down: a smaller tile that
    // divides the row can beat a remainder tile.
    for (int64_t rows = width; rows >= 1; --rows) {
      int64_t tiles = (width + rows - 1) / rows;
      double averageRows = static_cast<double>(width) / tiles;
      Step cost = step(rows, averageRows, vectors);
      if (rows * vectors + cost.otherRegisters > registers)
        continue;
      double cycles =
          std::max({cost.fmas / kIssuePerCycle, cost.loads / kIssuePerCycle,
                    cost.chain * kFmaLatency});
      double score = cost.fmas / kIssuePerCycle / cycles;
      double perFma = cost.loads / cost.fmas;
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

} // namespace

std::optional<ConvolutionTile> chooseConvolutionTile(int64_t width,
                                                     int64_t channels,
                                                     unsigned vectorBits) {
  // A step: the weights' vectors, one broadcast per pixel; the weights,
  // the broadcast and a spare register besides the accumulators.
  return searchTiles(width, channels, vectorBits,
                     [](int64_t, double rows, int64_t vectors) {
                       return Step{rows * vectors, rows + vectors, 1,
                                   vectors + 2};
                     });
}

std::optional<ConvolutionTile>
chooseDepthwiseTile(int64_t width, int64_t channels, int64_t kernelW,
                    int64_t strideW, int64_t dilationW, unsigned vectorBits) {
  // A step is a kernel row: each weight vector of the row and each input
  // column the tile's pixels meet loaded once, every (pixel, kernel
  // column) an FMA; the row's weights, an input vector and a spare
  // register besides the accumulators.
  return searchTiles(
      width, channels, vectorBits,
      [&](int64_t rows, double averageRows, int64_t vectors) {
        double columns =
            distinctDepthwiseColumns(rows, kernelW, strideW, dilationW) *
            averageRows / static_cast<double>(rows);
        return Step{averageRows * kernelW * vectors,
                    (columns + kernelW) * vectors,
                    static_cast<double>(kernelW), kernelW * vectors + 2};
      });
}

int64_t distinctDepthwiseColumns(int64_t rows, int64_t kernelW,
                                 int64_t strideW, int64_t dilationW) {
  std::vector<bool> seen((rows - 1) * strideW + (kernelW - 1) * dilationW + 1);
  int64_t count = 0;
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t kw = 0; kw < kernelW; ++kw) {
      int64_t column = i * strideW + kw * dilationW;
      if (!seen[column]) {
        seen[column] = true;
        ++count;
      }
    }
  return count;
}

} // namespace cnnc
