//===- CPUPipeline.cpp - From the cnn dialect to the LLVM dialect ---------===//
//
// The table of contents of the compiler. A model goes through four stages:
//
//   1. graph      canonicalize and fold the cnn graph; from -O2 fold weight
//                 subgraphs and batch norms, drop dropout, fuse padding and
//                 the epilogues (residual add, activation) into conv/matmul
//   2. kernels    cnn -> linalg/tensor/arith/math on tensors; elementwise
//                 chains fused
//   3. memory     flat weights; one-shot bufferization; outputs become
//                 out-parameters; padded buffers filled on their border
//                 only; convolutions as direct, im2col or Winograd (a
//                 cost model's choice); every intermediate is planned
//                 into one workspace
//   4. code       convolutions/matmuls reordered for vectorization;
//                 parallel loops, the outermost outlined into chunk
//                 functions; -> cf -> the LLVM dialect (bare-pointer
//                 arguments); chunk calls -> the runtime's parallel-for
//
// After stage 4 the module is translated to LLVM IR and compiled by
// cnnc/CodeGen (LLVM's O3 pipeline, a TargetMachine, an object file).
//
//===----------------------------------------------------------------------===//

#include "cnnc/Pipelines/Pipelines.h"

#include "cnnc/Conversion/Passes.h"
#include "cnnc/Kernels/Passes.h"
#include "cnnc/Training/Passes.h"
#include "cnnc/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

namespace cnnc {

void addGraphPasses(OpPassManager &pm, const PipelineOptions &options) {
  // Training differentiates the graph as written: before anything fuses,
  // folds or merges its constants.
  if (options.training) {
    GenerateTrainStepOptions training;
    training.loss = options.training->loss;
    training.labelSmoothing = options.training->labelSmoothing;
    training.optimizer = options.training->optimizer;
    pm.addPass(createGenerateTrainStep(training));
  }
  if (options.optLevel == 0)
    return;
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  if (options.optLevel == 1)
    return;
  // -O2 and -O3: weights computed once, inference identities gone, batch
  // norms folded into convolutions, padding into convolutions, then the
  // epilogues (residual add, activation) fused into conv and matmul, the
  // QDQ layers folded onto the integer kernels; last the channels-last
  // layout, whose transposed weights fold.
  pm.addNestedPass<func::FuncOp>(createFoldConstants());
  pm.addNestedPass<func::FuncOp>(createRemoveInferenceIdentities());
  pm.addNestedPass<func::FuncOp>(createFoldBatchNorm());
  pm.addNestedPass<func::FuncOp>(createFusePadding());
  pm.addNestedPass<func::FuncOp>(createFuseEpilogues());
  pm.addNestedPass<func::FuncOp>(createFoldQuantization());
  pm.addNestedPass<func::FuncOp>(createSelectLayout());
  pm.addNestedPass<func::FuncOp>(createFoldConstants());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  // A batch that streams its activations through memory runs one image at
  // a time (inference only: a train step's batch statistics and loss mix
  // the images).
  if (!options.training)
    pm.addNestedPass<func::FuncOp>(createSplitBatch());
}

void addKernelPasses(OpPassManager &pm, const PipelineOptions &options) {
  pm.addNestedPass<func::FuncOp>(
      createConvertCNNToLinalg(
          {options.int8DotProductBits, options.int8MultiplyAddBits}));
  if (options.optLevel == 0)
    return;
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  // Chains of elementwise kernels (a batch norm's scale and shift, an
  // activation after a broadcast) become one loop nest.
  pm.addNestedPass<func::FuncOp>(createLinalgElementwiseOpFusionPass());
  // Their loops over an image's pixels as one loop (vectorized by LLVM).
  pm.addNestedPass<func::FuncOp>(createCollapseSpatialDims());
  // Each kernel op's algorithm and register tile, recorded on it.
  if (options.vectorBits >= 128)
    pm.addNestedPass<func::FuncOp>(
        createSelectKernels({options.vectorBits, options.convolutionAlgorithm}));
}

void addBufferizationPasses(OpPassManager &pm,
                            const PipelineOptions &options) {
  // Weights as flat arrays: nested LLVM arrays make LLVM crawl.
  pm.addNestedPass<func::FuncOp>(createFlattenConstants());
  pm.addPass(createBufferize());
  pm.addPass(createCanonicalizerPass());
  // A padded buffer gets its pad value on the border only, and what it
  // pads is written into its interior in the first place.
  pm.addNestedPass<func::FuncOp>(createFillPaddingBorders());
  pm.addNestedPass<func::FuncOp>(createWriteIntoPadding());
  // Each convolution as the cost model picks: direct, im2col + 1x1 or
  // Winograd; their scratch buffers go into the workspace with the rest.
  if (options.optLevel > 0 && options.vectorBits >= 128)
    pm.addPass(createConvolutionAlgorithms(
        {options.vectorBits, options.convolutionAlgorithm}));
  pm.addPass(createPlanArena());
}

void addLLVMLoweringPasses(OpPassManager &pm, const PipelineOptions &options) {
  // Channels-last convolutions as register-tiled vector kernels; the
  // others in a loop order LLVM vectorizes: the innermost parallel
  // dimension inside the reductions.
  if (options.optLevel > 0 && options.vectorBits >= 128)
    pm.addPass(createRegisterTileConvolutions({options.vectorBits}));
  // What no tile took, as linalg.
  pm.addNestedPass<func::FuncOp>(createLowerKernelOps());
  if (options.optLevel > 0)
    pm.addNestedPass<func::FuncOp>(createInterchangeReductions());
  // Parallel loops for the parallel dimensions; the outermost ones become
  // chunk functions that the runtime's thread pool runs.
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToParallelLoopsPass());
  // The integer convolution kernel's rows (scf.forall) as parallel loops.
  pm.addNestedPass<func::FuncOp>(createForallToParallelLoopPass());
  pm.addPass(createOutlineParallelLoops());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createConvertVectorToLLVMPass());
  // The poison that vector lowerings start a built-up vector from.
  pm.addPass(createUBToLLVMConversionPass());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  ConvertFuncToLLVMPassOptions funcOptions;
  // Every argument has a static shape: a plain pointer carries it all.
  funcOptions.useBarePtrCallConv = true;
  pm.addPass(createConvertFuncToLLVMPass(funcOptions));
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createLowerParallelCalls());
  pm.addPass(createCanonicalizerPass());
}

void buildPipeline(OpPassManager &pm, const PipelineOptions &options,
                   Stage last) {
  addGraphPasses(pm, options);
  if (last == Stage::CNN)
    return;
  addKernelPasses(pm, options);
  if (last == Stage::Linalg)
    return;
  addBufferizationPasses(pm, options);
  addLLVMLoweringPasses(pm, options);
}

void buildCPUPipeline(OpPassManager &pm, const PipelineOptions &options) {
  buildPipeline(pm, options, Stage::LLVMDialect);
}

namespace {

struct PipelineCLOptions : PassPipelineOptions<PipelineCLOptions> {
  Option<unsigned> optLevel{*this, "opt-level",
                            llvm::cl::desc("-O level, 0 to 3"),
                            llvm::cl::init(2)};
  Option<unsigned> vectorBits{
      *this, "vector-bits",
      llvm::cl::desc("SIMD register width the convolution kernels are tiled "
                     "for (512, 256; 0: none)"),
      llvm::cl::init(0)};
  Option<unsigned> int8DotProductBits{
      *this, "int8-dot-product-bits",
      llvm::cl::desc("Width of the target's vpdpbusd (512, 256; 0: none)"),
      llvm::cl::init(0)};
  Option<unsigned> int8MultiplyAddBits{
      *this, "int8-multiply-add-bits",
      llvm::cl::desc("Width of the target's vpmaddubsw + vpmaddwd (512, "
                     "256; 0: none)"),
      llvm::cl::init(0)};
  Option<AlgorithmChoice> convolutionAlgorithm{
      *this, "conv-algorithm",
      llvm::cl::desc("auto, or direct, im2col, winograd2, winograd4 for "
                     "every convolution it applies to"),
      llvm::cl::init(AlgorithmChoice::Auto), CNNC_ALGORITHM_CHOICE_VALUES};

  PipelineOptions get() const {
    PipelineOptions options;
    options.optLevel = optLevel;
    options.vectorBits = vectorBits;
    options.int8DotProductBits = int8DotProductBits;
    options.int8MultiplyAddBits = int8MultiplyAddBits;
    options.convolutionAlgorithm = convolutionAlgorithm;
    return options;
  }
};

using StageBuilder = void (*)(OpPassManager &, const PipelineOptions &);

void registerStage(llvm::StringRef name, llvm::StringRef description,
                   StageBuilder build) {
  PassPipelineRegistration<PipelineCLOptions>(
      name, description,
      [build](OpPassManager &pm, const PipelineCLOptions &options) {
        build(pm, options.get());
      });
}

} // namespace

void registerPipelines() {
  registerStage("cnnc-cpu-pipeline",
                "cnn dialect to the LLVM dialect: all four stages",
                buildCPUPipeline);
  registerStage("cnnc-graph-stage", "stage 1: cnn graph passes",
                addGraphPasses);
  registerStage("cnnc-kernel-stage", "stage 2: cnn to linalg on tensors",
                addKernelPasses);
  registerStage("cnnc-memory-stage",
                "stage 3: bufferization and the workspace plan",
                addBufferizationPasses);
  registerStage("cnnc-code-stage", "stage 4: loops to the LLVM dialect",
                addLLVMLoweringPasses);
}

} // namespace cnnc
