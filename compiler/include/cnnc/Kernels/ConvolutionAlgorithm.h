//===- ConvolutionAlgorithm.h - Direct, im2col or Winograd ------*- C++ -*-===//
//
// The analytic cost model that picks, per convolution, how it is computed;
// shared by cnnc-convolution-algorithms and `cnnc compile --report`, which
// shows each convolution's choice. No tuning step: the choice follows from
// the shape, the register file and a few machine ratios.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_KERNELS_CONVOLUTIONALGORITHM_H
#define CNNC_KERNELS_CONVOLUTIONALGORITHM_H

#include "cnnc/Dialect/Kernel/IR/KernelDialect.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/CommandLine.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace cnnc {

// ConvolutionAlgorithm (direct, im2col, winograd2, winograd4) is the cnnk
// dialect's enum, which the kernel ops record: KernelEnums.td.

/// What `--conv-algorithm` (and cnnc-convolution-algorithms' `algorithm`
/// option) asks for: the cost model's choice per layer, or one algorithm
/// wherever it applies.
enum class AlgorithmChoice {
  Auto = -1,
  Direct = static_cast<int>(ConvolutionAlgorithm::Direct),
  Im2col = static_cast<int>(ConvolutionAlgorithm::Im2col),
  Winograd2 = static_cast<int>(ConvolutionAlgorithm::Winograd2),
  Winograd4 = static_cast<int>(ConvolutionAlgorithm::Winograd4),
};

/// The algorithm `choice` forces; nothing for Auto.
inline std::optional<ConvolutionAlgorithm>
forcedAlgorithm(AlgorithmChoice choice) {
  if (choice == AlgorithmChoice::Auto)
    return std::nullopt;
  return static_cast<ConvolutionAlgorithm>(choice);
}

/// The spellings of AlgorithmChoice, for llvm::cl (the pass option and the
/// command line share them).
#define CNNC_ALGORITHM_CHOICE_VALUES                                           \
  ::llvm::cl::values(                                                          \
      clEnumValN(::cnnc::AlgorithmChoice::Auto, "auto",                        \
                 "the cost model's choice, per layer"),                        \
      clEnumValN(::cnnc::AlgorithmChoice::Direct, "direct",                    \
                 "the register-tiled direct convolution"),                     \
      clEnumValN(::cnnc::AlgorithmChoice::Im2col, "im2col",                    \
                 "windows as rows, then a 1x1 convolution"),                   \
      clEnumValN(::cnnc::AlgorithmChoice::Winograd2, "winograd2",              \
                 "Winograd F(2x2, 3x3)"),                                      \
      clEnumValN(::cnnc::AlgorithmChoice::Winograd4, "winograd4",              \
                 "Winograd F(4x4, 3x3)"))

/// A channels-last 2-D convolution, as the cost model sees it.
struct ConvolutionShape {
  int64_t batch, height, width; // of the output
  int64_t inputChannels, outputChannels;
  int64_t kernelH, kernelW;
  int64_t strideH = 1, strideW = 1, dilationH = 1, dilationW = 1;
  /// Groups other than 1 (depthwise too): only the direct kernel.
  bool grouped = false;
  /// Winograd transforms the weights at compile time: they must be known.
  bool constantWeights = true;
  /// The input is padded (a 1x1 convolution of a padded input does not
  /// run over the image's pixels as one row).
  bool padded = false;
};

/// The pixels the register tile runs along for `algorithm`: an output row
/// (direct); all of an image's pixels for a 1x1 unit-stride convolution of
/// an unpadded input and for im2col's 1x1 convolution of its rows; the
/// whole batch's tiles for Winograd.
int64_t tileRowPixels(const ConvolutionShape &shape,
                      ConvolutionAlgorithm algorithm);

/// Whether `algorithm` can compute `shape` with vectors of `vectorBits`.
bool isApplicable(ConvolutionAlgorithm algorithm, const ConvolutionShape &shape,
                  unsigned vectorBits);

/// The estimated cost of `algorithm` on `shape`, in units of one FLOP at
/// the kernels' peak rate (memory traffic converted at fixed machine
/// ratios); nothing when it does not apply.
std::optional<double> estimateCost(ConvolutionAlgorithm algorithm,
                                   const ConvolutionShape &shape,
                                   unsigned vectorBits);

/// The cheapest applicable algorithm, or `forced` where it applies.
ConvolutionAlgorithm
chooseConvolutionAlgorithm(const ConvolutionShape &shape, unsigned vectorBits,
                           std::optional<ConvolutionAlgorithm> forced = {});

} // namespace cnnc

#endif // CNNC_KERNELS_CONVOLUTIONALGORITHM_H
