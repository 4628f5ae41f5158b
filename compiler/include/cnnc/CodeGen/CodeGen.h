//===- CodeGen.h - From the LLVM dialect to an object and a header -*- C++ -*-===//
//
// The last steps of `cnnc compile`, after the pass pipeline has produced the
// LLVM dialect:
//   - ModelInterface: what the generated C API exposes (inputs, outputs,
//     workspace), read off the model's function before lowering;
//   - a TargetMachine for --target-triple and --mcpu, and the CPU features
//     the generated code needs;
//   - translation to LLVM IR, the public entry points (NAME_run,
//     NAME_workspace_size, the CPU check), every other symbol made private,
//     LLVM's -O pipeline, and machine code (object or assembly);
//   - the C header that declares the entry points.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_CODEGEN_CODEGEN_H
#define CNNC_CODEGEN_CODEGEN_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/CodeGen.h"
#include "llvm/Support/Error.h"
#include "llvm/Target/TargetMachine.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cnnc {

//===-- The model's C interface -------------------------------------------===//

/// One input or output of a compiled model.
struct TensorDescription {
  std::string name;
  /// ONNX's TensorProto.DataType: 1 float, 7 int64, 9 bool, ...
  int elementType = 0;
  std::vector<int64_t> shape;
  uint64_t bytes = 0;
};

/// One tensor of a training object's state buffer.
struct StateTensor {
  std::string name;
  /// "parameter", "statistic" (a batch norm's running mean or variance) or
  /// "slot" (the optimizer's).
  std::string kind;
  std::vector<int64_t> shape;
  uint64_t bytes = 0;
  /// From the start of the state; every tensor starts 64-byte aligned.
  uint64_t offset = 0;
};

/// What a training object adds (cnnc-generate-train-step's functions).
struct TrainingInterface {
  /// Parameters, statistics, then slots.
  std::vector<StateTensor> state;
  /// The parameters and statistics: what NAME_evaluate reads.
  size_t modelStateCount = 0;
  uint64_t stateBytes = 0;
  /// The train step's labels (int32 class indices, or a target).
  TensorDescription labels;
  /// Filled in after bufferization.
  uint64_t trainWorkspaceBytes = 0, evaluateWorkspaceBytes = 0,
           initialStateWorkspaceBytes = 0;
};

struct ModelInterface {
  /// The C identifier that prefixes every public symbol.
  std::string name;
  std::vector<TensorDescription> inputs, outputs;
  /// Filled in after bufferization (the cnnc.workspace_size attribute).
  uint64_t workspaceBytes = 0;
  /// Present for objects compiled with --train.
  std::optional<TrainingInterface> training;
  /// N when the graph was compiled for one image of the interface's batch
  /// of N (cnnc-split-batch): NAME_run runs it once per image, the images
  /// concurrently on the runtime's threads, each with its own slice of an
  /// N-image workspace. 1 otherwise.
  int64_t batchSplit = 1;
};

/// The symbol of the graph function of model `name` for `role` ("graph" for
/// the model itself, else a cnnc.entry role: "train_step", ...).
std::string graphSymbol(llvm::StringRef name, llvm::StringRef role);

/// True when `name` can prefix C identifiers: [A-Za-z_][A-Za-z0-9_]*, and
/// not a C keyword.
bool isValidModelName(llvm::StringRef name);

/// The default model name for output file `path`: its stem with every
/// character that C does not allow replaced by '_' (and a leading '_' before
/// a digit or a keyword).
std::string modelNameFromPath(llvm::StringRef path);

/// The one public function with a body in `module`: the model.
mlir::FailureOr<mlir::func::FuncOp> findModelFunction(mlir::ModuleOp module);

/// The interface of `function` (on tensors, static shapes): its arguments
/// and results, named by their `cnn.name` attributes.
mlir::FailureOr<ModelInterface> describeModel(mlir::func::FuncOp function,
                                              llvm::StringRef name);

/// The training interface read off the train step `trainStep` (a func.func
/// or, after lowering, an llvm.func): the state's layout and the labels,
/// from its cnnc.state and cnnc.labels attributes.
mlir::FailureOr<TrainingInterface> describeTraining(mlir::Operation *trainStep);

/// The C header for `model`: self-contained C, extern "C" under C++.
void writeCHeader(llvm::raw_ostream &os, const ModelInterface &model);

//===-- The target ----------------------------------------------------------===//

struct TargetOptions {
  /// Empty: the host's triple.
  std::string triple;
  /// "native": the host CPU with its features.
  std::string cpu = "native";
  /// -O0 .. -O3 for LLVM's pipeline and code generator.
  unsigned optLevel = 2;
};

/// A TargetMachine for `options` producing position-independent code; an
/// error names an unknown triple or CPU.
llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
createTargetMachine(const TargetOptions &options);

/// The instruction-set features of `machine` that the runtime checks before
/// the first run ("avx2", "fma", "avx512f", ...).
std::vector<std::string> requiredCPUFeatures(const llvm::TargetMachine &machine);

/// The width in bits of the SIMD registers the kernels use on `machine`:
/// 512 with AVX-512, 256 with AVX2 and FMA, else 0 (the convolutions are
/// left to LLVM's loop vectorizer).
unsigned vectorRegisterBits(const llvm::TargetMachine &machine);

/// The width of `machine`'s u8 x s8 dot product (vpdpbusd): 512 with
/// AVX512-VNNI on 512-bit registers, 256 with AVX-VNNI (or AVX512-VNNI and
/// VL); 0 without one.
unsigned int8DotProductBits(const llvm::TargetMachine &machine);

/// The width of `machine`'s u8 x s8 multiply-add pair (vpmaddubsw, then
/// vpmaddwd): 512 with AVX512BW on 512-bit registers, 256 with AVX2; 0
/// without one.
unsigned int8MultiplyAddBits(const llvm::TargetMachine &machine);

/// The feature names the runtime's check understands.
llvm::ArrayRef<const char *> checkableCPUFeatures();

//===-- Code ----------------------------------------------------------------===//

/// Translates `module` (the LLVM dialect) to LLVM IR with the public entry
/// points of `model`, every other symbol private, optimized at
/// `machine`'s level.
llvm::Expected<std::unique_ptr<llvm::Module>>
translateModel(mlir::ModuleOp module, const ModelInterface &model,
               llvm::TargetMachine &machine, unsigned optLevel,
               llvm::LLVMContext &context);

/// Machine code for `module`: an object file or assembly.
llvm::Error emitMachineCode(llvm::Module &module, llvm::TargetMachine &machine,
                            llvm::CodeGenFileType type,
                            llvm::raw_pwrite_stream &os);

} // namespace cnnc

#endif // CNNC_CODEGEN_CODEGEN_H
