//===- Pipelines.h - The order of cnnc's passes -----------------*- C++ -*-===//
//
// The one place that orders the passes from the cnn dialect to the LLVM
// dialect. Each stage is a function, so that a command can stop after one
// (--emit=cnn, --emit=linalg) and run the same passes as a full compile.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_PIPELINES_PIPELINES_H
#define CNNC_PIPELINES_PIPELINES_H

#include "cnnc/Dialect/CNN/IR/CNNDialect.h"
#include "cnnc/Kernels/ConvolutionAlgorithm.h"

#include "mlir/Pass/PassManager.h"

#include <optional>
#include <string>

namespace cnnc {

/// Where a compile stops: after the graph passes (the cnn dialect), after
/// the kernels (linalg on tensors), or at the LLVM dialect.
enum class Stage { CNN, Linalg, LLVMDialect };

struct PipelineOptions {
  /// The C identifier that names the compiled model (compileModel names its
  /// functions after it).
  std::string modelName = "model";
  /// -O0 .. -O3: 0 runs no graph optimization.
  unsigned optLevel = 2;
  /// The target's SIMD register width in bits (512, 256), which the
  /// convolution kernels are tiled for; 0 leaves them to LLVM's vectorizer.
  unsigned vectorBits = 0;
  /// The width of the target's u8 x s8 dot product instruction (512:
  /// AVX512-VNNI, 256: AVX-VNNI), which the integer convolutions use; 0
  /// leaves them to LLVM's vectorizer.
  unsigned int8DotProductBits = 0;
  /// Without one, the width of its u8 x s8 multiply-add pair (vpmaddubsw
  /// and vpmaddwd; 512: AVX512BW, 256: AVX2), which the integer
  /// convolutions use where a constant weight's pair sums cannot saturate
  /// int16 (docs/compiler/quantization.md).
  unsigned int8MultiplyAddBits = 0;
  /// How convolutions are computed: Auto for the cost model of
  /// cnnc/Kernels/ConvolutionAlgorithm.h (per layer), or one algorithm
  /// wherever it applies.
  AlgorithmChoice convolutionAlgorithm = AlgorithmChoice::Auto;
  /// Set for a training object: the first graph pass generates the train
  /// step, evaluation and initial state (cnnc-generate-train-step) with
  /// these options.
  struct Training {
    cnn::LossKind loss = cnn::LossKind::CrossEntropy;
    double labelSmoothing = 0.0;
    cnn::OptimizerKind optimizer = cnn::OptimizerKind::SGD;
  };
  std::optional<Training> training;
};

/// Stage 1, the graph: canonicalization and folding on the cnn dialect.
void addGraphPasses(mlir::OpPassManager &pm, const PipelineOptions &options);

/// Stage 2, kernels: cnn ops to linalg, tensor, arith and math on tensors;
/// chains of elementwise kernels fused.
void addKernelPasses(mlir::OpPassManager &pm, const PipelineOptions &options);

/// Stage 3, memory: bufferization, outputs as out-parameters, every
/// intermediate planned into one workspace argument.
void addBufferizationPasses(mlir::OpPassManager &pm,
                            const PipelineOptions &options);

/// Stage 4, code: loops (convolutions and matmuls ordered for vectorization,
/// the outermost parallel ones run by the runtime's thread pool), then the
/// LLVM dialect with bare-pointer arguments.
void addLLVMLoweringPasses(mlir::OpPassManager &pm,
                           const PipelineOptions &options);

/// All four stages: a cnn module to an LLVM dialect module.
void buildCPUPipeline(mlir::OpPassManager &pm, const PipelineOptions &options);

/// The stages up to and including `last`: what compileModel runs.
void buildPipeline(mlir::OpPassManager &pm, const PipelineOptions &options,
                   Stage last);

/// Registers "cnnc-cpu-pipeline" (and each stage) for cnnc-opt.
void registerPipelines();

} // namespace cnnc

#endif // CNNC_PIPELINES_PIPELINES_H
