//===- ConvolutionAlgorithm.cpp - Direct, im2col or Winograd --------------===//
//
// Every algorithm ends in the same register tile (a direct convolution, a
// 1x1 convolution over im2col rows, a batch of matrix products over
// Winograd tiles), so one model prices them all:
//
//   cost = FLOPs of the tile / its efficiency
//        + weight bytes * kWeightFlopsPerByte         (streamed every run)
//        + scratch bytes * kScratchFlopsPerByte       (written, then read)
//        + transform vector ops * kTransformFlopsPerOp
//        + gathered elements * kGatherCycles          (im2col's copy)
//
// The tile's efficiency is the accumulators it keeps busy (a remainder
// tile at the end of a row counts its idle ones), times the share of a
// reduction step that is work, not loop (C / (C + kLoopSteps) for a loop
// of C input channels per window position). The ratios are this
// project's measurements of its own kernels (docs/compiler/codegen.md),
// not a tuning step: the same numbers for every model.
//
//===----------------------------------------------------------------------===//

#include "cnnc/Kernels/ConvolutionAlgorithm.h"

#include "cnnc/Kernels/ConvolutionTiles.h"
#include "cnnc/Kernels/WinogradTransforms.h"

#include "llvm/ADT/StringSwitch.h"

#include <algorithm>

namespace cnnc {

namespace {

/// Weights are read once per run from beyond the caches: FLOP-times per
/// byte at DRAM bandwidth. (With 10, F(4x4)'s 38 MB of transformed weights
/// for ResNet-50's 512->512 at 7x7 were priced 60% above what they cost.)
constexpr double kWeightFlopsPerByte = 5;
/// Scratch buffers (Winograd tiles, im2col rows) are written and read back
/// mostly from L2 and L3.
constexpr double kScratchFlopsPerByte = 2;
/// A transform's vector op (an add or FMA over `lanes` channels) costs what
/// an FMA does, twice over: the transforms wait on their loads and stores.
constexpr double kTransformFlopsPerOp = 4;
/// Loop steps per iteration of a reduction loop over the input channels.
constexpr double kLoopSteps = 1;
/// Cycles per element im2col gathers (a scalar load and store with its
/// index arithmetic): ResNet-50's 7x7 stem spent 2.2 ms gathering 1.8 M.
constexpr double kGatherCycles = 6;

int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

/// The share of the peak the register tile reaches on a row of `width`
/// pixels of `channels` output channels, with `reduced` input channels per
/// window position.
double tileEfficiency(int64_t width, int64_t channels, int64_t reduced,
                      unsigned vectorBits) {
  std::optional<ConvolutionTile> tile =
      chooseConvolutionTile(width, channels, vectorBits);
  if (!tile)
    return 0;
  int64_t registers = vectorBits >= 512 ? 32 : 16;
  // Enough accumulators to hide the FMA latency: three quarters of the
  // register file.
  double enough = registers * 3.0 / 4;
  double rows = static_cast<double>(width) / ceilDiv(width, tile->rows);
  double busy = std::min(1.0, rows * tile->vectors / enough);
  // A masked tile computes all its lanes for fewer channels.
  double lanes = static_cast<double>(std::min(tile->lanes, channels)) /
                 (vectorBits / 32);
  double work = reduced / (reduced + kLoopSteps);
  return busy * lanes * work;
}

/// The nonzero entries of a transform matrix: its adds or FMAs per column.
int64_t nonzeros(const std::vector<double> &matrix) {
  return std::count_if(matrix.begin(), matrix.end(),
                       [](double v) { return v != 0; });
}

double directFlops(const ConvolutionShape &s) {
  return 2.0 * s.batch * s.height * s.width * s.outputChannels *
         s.inputChannels * s.kernelH * s.kernelW;
}

double weightBytes(const ConvolutionShape &s) {
  return 4.0 * s.kernelH * s.kernelW * s.inputChannels * s.outputChannels;
}

} // namespace

int64_t tileRowPixels(const ConvolutionShape &s,
                      ConvolutionAlgorithm algorithm) {
  switch (algorithm) {
  case ConvolutionAlgorithm::Direct:
    return s.kernelH == 1 && s.kernelW == 1 && s.strideH == 1 &&
                   s.strideW == 1 && !s.padded
               ? s.height * s.width
               : s.width;
  case ConvolutionAlgorithm::Im2col:
    return s.height * s.width;
  case ConvolutionAlgorithm::Winograd2:
  case ConvolutionAlgorithm::Winograd4: {
    int64_t m = algorithm == ConvolutionAlgorithm::Winograd2 ? 2 : 4;
    return s.batch * ceilDiv(s.height, m) * ceilDiv(s.width, m);
  }
  }
  return s.width;
}

bool isApplicable(ConvolutionAlgorithm algorithm, const ConvolutionShape &s,
                  unsigned vectorBits) {
  if (vectorBits < 128)
    return algorithm == ConvolutionAlgorithm::Direct;
  switch (algorithm) {
  case ConvolutionAlgorithm::Direct:
    return true;
  case ConvolutionAlgorithm::Im2col:
    // A gather, then the 1x1 tile over rows of KH*KW*C values.
    return !s.grouped && s.kernelH * s.kernelW > 1 &&
           chooseConvolutionTile(s.width, s.outputChannels, vectorBits);
  case ConvolutionAlgorithm::Winograd2:
  case ConvolutionAlgorithm::Winograd4:
    // 3x3, unit stride and dilation, known weights, channel counts that
    // vectors of 4 lanes or more divide (the transforms' vectors).
    return !s.grouped && s.constantWeights && s.kernelH == 3 &&
           s.kernelW == 3 && s.strideH == 1 && s.strideW == 1 &&
           s.dilationH == 1 && s.dilationW == 1 &&
           s.inputChannels % 4 == 0 && s.outputChannels % 4 == 0 &&
           chooseConvolutionTile(s.width, s.outputChannels, vectorBits);
  }
  return false;
}

std::optional<double> estimateCost(ConvolutionAlgorithm algorithm,
                                   const ConvolutionShape &s,
                                   unsigned vectorBits) {
  if (!isApplicable(algorithm, s, vectorBits))
    return std::nullopt;
  switch (algorithm) {
  case ConvolutionAlgorithm::Direct: {
    double efficiency =
        s.grouped ? 0.5
                  : tileEfficiency(tileRowPixels(s, algorithm),
                                   s.outputChannels, s.inputChannels,
                                   vectorBits);
    if (efficiency <= 0)
      efficiency = 0.1; // the generic loops
    return directFlops(s) / efficiency + weightBytes(s) * kWeightFlopsPerByte;
  }
  case ConvolutionAlgorithm::Im2col: {
    int64_t rowLength = s.kernelH * s.kernelW * s.inputChannels;
    double rowsBytes = 4.0 * s.batch * s.height * s.width * rowLength;
    // The 1x1 convolution over the rows runs over all the image's pixels
    // at once: a strided 3x3 with a 7x7 output gives the tile 49 pixels
    // where the direct one sees rows of 7.
    double efficiency = tileEfficiency(tileRowPixels(s, algorithm),
                                       s.outputChannels, rowLength,
                                       vectorBits);
    // A cycle is two FMAs of `lanes` (vectorBits / 32) lanes at peak.
    double gather = rowsBytes / 4 * kGatherCycles * 4 * (vectorBits / 32.0);
    return directFlops(s) / efficiency + weightBytes(s) * kWeightFlopsPerByte +
           2 * rowsBytes * kScratchFlopsPerByte + gather;
  }
  case ConvolutionAlgorithm::Winograd2:
  case ConvolutionAlgorithm::Winograd4: {
    const WinogradTransform &t = winogradTransform(
        algorithm == ConvolutionAlgorithm::Winograd2 ? 2 : 4);
    double a = t.alpha, m = t.m;
    double tiles = static_cast<double>(tileRowPixels(s, algorithm));
    double c = s.inputChannels, f = s.outputChannels;
    double products = 2 * a * a * tiles * c * f;
    // The products' tile runs along the tiles of each of the a*a positions.
    double efficiency = tileEfficiency(static_cast<int64_t>(tiles),
                                       s.outputChannels, s.inputChannels,
                                       vectorBits);
    // Per tile and channel: B^T d B over columns then rows, with a load
    // and a store per element; A^T M A likewise.
    double lanes = vectorLanes(s.inputChannels, vectorBits);
    double inputOps = 2 * a * nonzeros(t.inputTransform) + 2 * a * a;
    double outputOps = (a + m) * nonzeros(t.outputTransform) + a * a + m * m;
    double transformOps = tiles * (c * inputOps + f * outputOps) / lanes;
    double scratchBytes = 4 * a * a * tiles * (c + f);
    double transformedWeightBytes = 4 * a * a * c * f;
    return products / efficiency +
           transformedWeightBytes * kWeightFlopsPerByte +
           2 * scratchBytes * kScratchFlopsPerByte +
           transformOps * kTransformFlopsPerOp * (vectorBits / 32.0);
  }
  }
  return std::nullopt;
}

ConvolutionAlgorithm
chooseConvolutionAlgorithm(const ConvolutionShape &shape, unsigned vectorBits,
                           std::optional<ConvolutionAlgorithm> forced) {
  if (forced && isApplicable(*forced, shape, vectorBits))
    return *forced;
  ConvolutionAlgorithm best = ConvolutionAlgorithm::Direct;
  double bestCost = *estimateCost(best, shape, vectorBits);
  for (ConvolutionAlgorithm candidate :
       {ConvolutionAlgorithm::Im2col, ConvolutionAlgorithm::Winograd2,
        ConvolutionAlgorithm::Winograd4})
    if (std::optional<double> cost = estimateCost(candidate, shape, vectorBits);
        cost && *cost < bestCost) {
      best = candidate;
      bestCost = *cost;
    }
  return best;
}

} // namespace cnnc
