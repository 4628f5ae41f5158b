//===- cnnc.cpp - The cnnc command line -----------------------------------===//
//
//   cnnc compile MODEL.onnx|MODEL.mlir -o FILE [--name NAME] [-O0..-O3]
//                [--emit=cnn|linalg|llvm|asm|obj] [--mcpu=CPU]
//                [--conv-algorithm=auto|direct|im2col|winograd2|winograd4]
//                [--target-triple=T] [--shape NAME=1x3x224x224 | --batch N]
//                [--const NAME=FILE.pb]
//   cnnc run MODEL [--input NAME=FILE.pb]... [--output-dir DIR]
//            [--repeat N] [--check DIR [--rtol R] [--atol A]] [-O0..-O3]
//   cnnc export MODEL -o OUT.onnx [--batch N] [--fixed-batch]
//
// Exit codes: 0 success, 1 a --check mismatch, 2 user error (bad model, bad
// flag, unsupported op), 3 internal error. Output is written to temporary
// files renamed into place at the end, so a failed run leaves nothing.
//
//===----------------------------------------------------------------------===//

#include "Calibrate.h"
#include "Compiler.h"
#include "Export.h"
#include "LoadModel.h"
#include "OutputFiles.h"
#include "Report.h"
#include "Run.h"
#include "Train.h"

#include "cnnc/Kernels/ConvolutionAlgorithm.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <limits>
#include <type_traits>

namespace cl = llvm::cl;

namespace {

using cnnc::Success;
using cnnc::UserError;

enum class Emit { Default, CNN, Linalg, LLVM, Asm, Obj };

cl::SubCommand compileCommand("compile",
                              "Compile a model (an ONNX file, or a .mlir "
                              "file in the cnn dialect) to an object file "
                              "and a C header, or to an intermediate form");
cl::SubCommand runCommand("run", "Compile a model in-process and run it on "
                                 "inputs from ONNX TensorProto files");
cl::SubCommand exportCommand("export",
                             "Write a model (.cnn, .mlir or .onnx) as an "
                             "ONNX file, as written (no optimization), for "
                             "ONNX Runtime and other tools");
cl::SubCommand quantizeCommand("quantize",
                               "Quantize a float model to int8 after "
                               "training (calibrated on samples) and write "
                               "it as a QDQ ONNX file, for ONNX Runtime or "
                               "cnnc compile");
cl::SubCommand trainCommand("train",
                            "Compile a model with its train step and train it "
                            "on Fashion-MNIST; write the trained model as "
                            "ONNX");

// Shared by both commands.
cl::opt<std::string> inputFile(cl::Positional, cl::desc("<model>"),
                               cl::Required, cl::sub(compileCommand),
                               cl::sub(runCommand), cl::sub(trainCommand),
                               cl::sub(exportCommand),
                               cl::sub(quantizeCommand));
cl::list<std::string> shapeBindings(
    "shape", cl::desc("Static shape of a graph input with symbolic dimensions"),
    cl::value_desc("NAME=1x3x224x224"), cl::sub(compileCommand),
    cl::sub(runCommand), cl::sub(exportCommand), cl::sub(quantizeCommand));
cl::opt<int64_t> batchSize("batch",
                           cl::desc("Value of every symbolic batch (first) "
                                    "dimension of the graph inputs"),
                           cl::value_desc("N"), cl::init(0),
                           cl::sub(compileCommand), cl::sub(runCommand),
                           cl::sub(trainCommand), cl::sub(exportCommand),
                           cl::sub(quantizeCommand));
cl::list<std::string> constBindings(
    "const",
    cl::desc("Bind a graph input (a shape, axes, pads or scales) to the "
             "tensor in an ONNX TensorProto file"),
    cl::value_desc("NAME=FILE.pb"), cl::sub(compileCommand),
    cl::sub(runCommand), cl::sub(exportCommand), cl::sub(quantizeCommand));
enum OptLevel { O0, O1, O2, O3 };
cl::opt<OptLevel> optLevel(cl::desc("Optimization level"), cl::init(O2),
                           cl::values(clEnumVal(O0, "no optimization"),
                                      clEnumVal(O1, "folding, light LLVM"),
                                      clEnumVal(O2, "the default"),
                                      clEnumVal(O3, "everything")),
                           cl::sub(compileCommand), cl::sub(runCommand),
                           cl::sub(trainCommand));
cl::opt<std::string> mcpu("mcpu",
                          cl::desc("CPU to generate code for: native (the "
                                   "default: this machine), x86-64-v3 (any "
                                   "AVX2 machine), skylake-avx512, ..."),
                          cl::init("native"), cl::sub(compileCommand),
                          cl::sub(runCommand), cl::sub(trainCommand),
                          cl::sub(quantizeCommand));
cl::opt<cnnc::AlgorithmChoice> convAlgorithm(
    "conv-algorithm",
    cl::desc("How convolutions are computed: auto (the default: a cost model "
             "picks per layer, as --report shows), or direct, im2col, "
             "winograd2, winograd4 wherever that one applies"),
    cl::init(cnnc::AlgorithmChoice::Auto), CNNC_ALGORITHM_CHOICE_VALUES,
    cl::sub(compileCommand), cl::sub(runCommand), cl::sub(trainCommand));
cl::opt<std::string> targetTriple("target-triple",
                                  cl::desc("Target triple (default: the "
                                           "host's)"),
                                  cl::sub(compileCommand), cl::sub(runCommand));

// compile
cl::opt<std::string> outputFile("o", cl::desc("Output file ('-' for stdout)"),
                                cl::value_desc("file"), cl::init("-"),
                                cl::sub(compileCommand), cl::sub(trainCommand),
                                cl::sub(exportCommand),
                                cl::sub(quantizeCommand));
cl::opt<std::string> modelName("name",
                               cl::desc("The C name of the model, prefix of "
                                        "its symbols (default: from the "
                                        "output file's name)"),
                               cl::sub(compileCommand));
enum class Quantize { None, Int8 };
cl::opt<Quantize> quantize(
    "quantize",
    cl::desc("Quantize the float model after training (needs "
             "--calibration)"),
    cl::init(Quantize::None),
    cl::values(clEnumValN(Quantize::Int8, "int8",
                          "uint8 activations per tensor, int8 weights per "
                          "output channel, on the integer kernels")),
    cl::sub(compileCommand));
cl::opt<std::string> calibration(
    "calibration",
    cl::desc("The samples --quantize measures activations on: a folder of "
             "input_N.pb files or of ONNX test-data folders, or "
             "fashion-mnist[:DIR]"),
    cl::value_desc("SOURCE"), cl::sub(compileCommand),
    cl::sub(quantizeCommand));
cl::opt<int64_t> calibrationSamples(
    "calibration-samples",
    cl::desc("How many samples --calibration runs (default 256)"),
    cl::init(256), cl::sub(compileCommand), cl::sub(quantizeCommand));
cl::opt<cnnc::CalibrationMethod> calibrationMethod(
    "calibration-method",
    cl::desc("How --calibration turns the values an activation took into "
             "its range"),
    cl::init(cnnc::CalibrationMethod::MinMax),
    cl::values(clEnumValN(cnnc::CalibrationMethod::MinMax, "minmax",
                          "the smallest and largest value (the default)"),
               clEnumValN(cnnc::CalibrationMethod::Percentile, "percentile",
                          "clipped at --calibration-percentile of |x|"),
               clEnumValN(cnnc::CalibrationMethod::Entropy, "entropy",
                          "clipped where the KL divergence of the "
                          "quantized histogram is least (TensorRT's)")),
    cl::sub(compileCommand), cl::sub(quantizeCommand));
cl::opt<double> calibrationPercentile(
    "calibration-percentile",
    cl::desc("The percentile of |x| --calibration-method=percentile clips "
             "at (default 99.99)"),
    cl::init(99.99), cl::sub(compileCommand), cl::sub(quantizeCommand));
cl::list<std::string> keepFloat(
    "keep-float",
    cl::desc("ONNX nodes --quantize leaves in float (comma-separated)"),
    cl::value_desc("NODE,..."), cl::CommaSeparated, cl::sub(compileCommand),
    cl::sub(quantizeCommand));
cl::opt<Emit> emitKind(
    "emit",
    cl::desc("What to write (default: from -o's extension: .o an object, .s "
             "assembly, .ll LLVM IR, else the cnn graph)"),
    cl::init(Emit::Default),
    cl::values(clEnumValN(Emit::CNN, "cnn", "the optimized cnn dialect graph"),
               clEnumValN(Emit::Linalg, "linalg", "linalg on tensors"),
               clEnumValN(Emit::LLVM, "llvm", "LLVM IR"),
               clEnumValN(Emit::Asm, "asm", "assembly"),
               clEnumValN(Emit::Obj, "obj", "an object file and a C header")),
    cl::sub(compileCommand));

cl::opt<bool> trainObject(
    "train",
    cl::desc("Also compile training: NAME_train_step (forward, loss, "
             "backward, optimizer), NAME_evaluate and NAME_init_state"),
    cl::sub(compileCommand));
cl::opt<cnnc::cnn::OptimizerKind> optimizerName(
    "optimizer", cl::desc("The optimizer"),
    cl::init(cnnc::cnn::OptimizerKind::SGD),
    cl::values(clEnumValN(cnnc::cnn::OptimizerKind::SGD, "sgd",
                          "SGD with momentum"),
               clEnumValN(cnnc::cnn::OptimizerKind::Adam, "adam", "Adam"),
               clEnumValN(cnnc::cnn::OptimizerKind::AdamW, "adamw",
                          "Adam with decoupled weight decay")),
    cl::sub(compileCommand), cl::sub(trainCommand));
cl::opt<cnnc::cnn::LossKind> lossName(
    "loss", cl::desc("The loss on the model's output"),
    cl::init(cnnc::cnn::LossKind::CrossEntropy),
    cl::values(clEnumValN(cnnc::cnn::LossKind::CrossEntropy, "cross_entropy",
                          "softmax cross-entropy against class labels"),
               clEnumValN(cnnc::cnn::LossKind::MSE, "mse",
                          "mean squared error against a target")),
    cl::sub(compileCommand), cl::sub(trainCommand));
cl::opt<double> labelSmoothing(
    "label-smoothing", cl::desc("Label smoothing of the cross-entropy"),
    cl::init(0.0), cl::sub(compileCommand),
    cl::sub(trainCommand));

cl::opt<bool> report("report",
                     cl::desc("Print, per op of the optimized graph, the ONNX "
                              "nodes it was fused from, its layout, shape "
                              "and FLOPs, and the totals (stdout; stderr "
                              "when the output goes to stdout)"),
                     cl::sub(compileCommand));

// train
cl::opt<std::string> dataSet("data",
                             cl::desc("The data: fashion-mnist (Debian's "
                                      "dataset-fashion-mnist) or "
                                      "fashion-mnist:DIR"),
                             cl::init("fashion-mnist"), cl::sub(trainCommand));
cl::opt<int64_t> epochs("epochs", cl::desc("Passes over the training set"),
                        cl::init(1), cl::sub(trainCommand));
cl::opt<double> learningRate("lr", cl::desc("Base learning rate"),
                             cl::init(0.05), cl::sub(trainCommand));
cl::opt<double> momentum("momentum", cl::desc("SGD's momentum"),
                         cl::init(0.9), cl::sub(trainCommand));
cl::opt<double> weightDecay("weight-decay",
                            cl::desc("L2 weight decay (decoupled for adamw)"),
                            cl::init(0.0), cl::sub(trainCommand));
cl::opt<std::string> scheduleName(
    "schedule",
    cl::desc("Learning rate schedule, per optimizer step: cosine (to 0 over "
             "the run), step (x0.1 every --step-epochs), none"),
    cl::init("cosine"), cl::sub(trainCommand));
cl::opt<int64_t> stepEpochs("step-epochs",
                            cl::desc("Epochs between decays of --schedule "
                                     "step (default: a third of the run)"),
                            cl::init(0), cl::sub(trainCommand));
cl::opt<int64_t> warmupSteps("warmup",
                             cl::desc("Steps of linear learning-rate warm-up"),
                             cl::init(0), cl::sub(trainCommand));
cl::opt<std::string> augment("augment",
                             cl::desc("Data augmentation: flip (random "
                                      "horizontal flips) or none"),
                             cl::init("none"), cl::sub(trainCommand));
cl::opt<std::string> initName(
    "init",
    cl::desc("Initial weights: model (the model's initializers), kaiming or "
             "xavier (weights drawn from --seed; biases and batch norms keep "
             "the model's)"),
    cl::init("model"), cl::sub(trainCommand));
cl::opt<uint64_t> seed("seed",
                       cl::desc("Seed of the shuffle, flips and dropout"),
                       cl::init(0), cl::sub(trainCommand));
cl::opt<int64_t> trainLimit("train-limit",
                            cl::desc("Train on the first N images only"),
                            cl::init(0), cl::sub(trainCommand));
cl::opt<int64_t> testLimit("test-limit",
                           cl::desc("Score on the first N test images only"),
                           cl::init(0), cl::sub(trainCommand));
cl::opt<std::string> normalize(
    "normalize",
    cl::desc("MEAN,STD of the input normalization (x / 255 - MEAN) / STD, "
             "folded into the exported model"),
    cl::init("0.2860,0.3530"), cl::sub(trainCommand));

// run
cl::list<std::string> runInputs("input",
                                cl::desc("A graph input's value, from an ONNX "
                                         "TensorProto file"),
                                cl::value_desc("NAME=FILE.pb"),
                                cl::sub(runCommand));
cl::opt<std::string> outputDir("output-dir",
                               cl::desc("Write DIR/output_N.pb, in graph "
                                        "order"),
                               cl::value_desc("DIR"), cl::sub(runCommand));
cl::opt<std::string> checkDir(
    "check",
    cl::desc("Run on DIR/input_N.pb and compare with DIR/output_N.pb (the "
             "ONNX test-data layout)"),
    cl::value_desc("DIR"), cl::sub(runCommand));
cl::opt<double> rtol("rtol", cl::desc("Relative tolerance of --check"),
                     cl::init(1e-3), cl::sub(runCommand));
cl::opt<double> atol("atol", cl::desc("Absolute tolerance of --check"),
                     cl::init(1e-5), cl::sub(runCommand));
cl::opt<int64_t> repeat("repeat",
                        cl::desc("Run N more times and print the latency"),
                        cl::value_desc("N"), cl::init(0), cl::sub(runCommand));

// export
cl::opt<bool> fixedBatch("fixed-batch",
                         cl::desc("Keep the model's batch size in the ONNX "
                                  "file (default: dimension 0 of the inputs "
                                  "and outputs is the symbolic 'batch')"),
                         cl::sub(exportCommand), cl::sub(quantizeCommand));

cnnc::ModelBindings modelBindings() {
  cnnc::ModelBindings bindings;
  bindings.shapes = shapeBindings;
  bindings.constants = constBindings;
  bindings.batch = batchSize;
  return bindings;
}

/// Whether the flag `name` (its value `value`) lies in [low, high], a
/// finite number; else says so on stderr.
template <typename T>
bool checkFlag(llvm::StringRef name, T value, double low, double high,
               llvm::StringRef expected) {
  auto number = static_cast<double>(value);
  if (std::isfinite(number) && number >= low && number <= high)
    return true;
  llvm::errs() << "cnnc: error: --" << name << " ";
  if constexpr (std::is_integral_v<T>)
    llvm::errs() << value;
  else
    llvm::errs() << llvm::format("%g", number);
  llvm::errs() << ": expected " << expected << "\n";
  return false;
}

/// --batch, when given: 1 to 65536 images.
bool checkBatch() {
  return !batchSize.getNumOccurrences() ||
         checkFlag("batch", batchSize.getValue(), 1, 65536,
                   "a batch of 1 to 65536");
}

/// The training flags, each a finite number in its range.
bool checkTrainFlags(double mean, double std) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  return checkBatch() &&
         checkFlag("epochs", epochs.getValue(), 1, 1e6,
                   "1 epoch or more") &&
         checkFlag("lr", learningRate.getValue(), 0, 1e6,
                   "a finite learning rate of 0 or more") &&
         checkFlag("momentum", momentum.getValue(), 0, 1, "a momentum from 0 to 1") &&
         checkFlag("weight-decay", weightDecay.getValue(), 0, 1e6,
                   "a finite weight decay of 0 or more") &&
         (!labelSmoothing.getNumOccurrences() ||
          checkFlag("label-smoothing", labelSmoothing.getValue(), 0, 0.999,
                    "label smoothing from 0 to below 1")) &&
         checkFlag("step-epochs", stepEpochs.getValue(), 0, 1e6,
                   "0 epochs or more") &&
         checkFlag("warmup", warmupSteps.getValue(), 0, 1e12,
                   "0 steps or more") &&
         checkFlag("train-limit", trainLimit.getValue(), 0, kInf,
                   "0 (all) or more images") &&
         checkFlag("test-limit", testLimit.getValue(), 0, kInf,
                   "0 (all) or more images") &&
         checkFlag("normalize", mean, -1e6, 1e6, "a finite MEAN,STD") &&
         checkFlag("normalize", std, 1e-12, 1e6,
                   "a finite MEAN,STD with STD above 0");
}

cnnc::TargetOptions targetOptions() {
  cnnc::TargetOptions target;
  target.triple = targetTriple;
  target.cpu = mcpu;
  target.optLevel = optLevel;
  return target;
}

Emit defaultEmit(llvm::StringRef path) {
  llvm::StringRef extension = llvm::sys::path::extension(path);
  if (extension == ".o" || extension == ".obj")
    return Emit::Obj;
  if (extension == ".s")
    return Emit::Asm;
  if (extension == ".ll")
    return Emit::LLVM;
  return Emit::CNN;
}

/// The files a command reads: the model and every --const and --input
/// file (NAME=FILE).
std::vector<std::string> inputPaths() {
  std::vector<std::string> paths{inputFile};
  for (llvm::StringRef binding : constBindings)
    paths.push_back(binding.split('=').second.str());
  for (llvm::StringRef binding : runInputs)
    paths.push_back(binding.split('=').second.str());
  return paths;
}

/// The header written beside object `path`.
std::string headerPath(llvm::StringRef path) {
  llvm::SmallString<256> header(path);
  llvm::sys::path::replace_extension(header, ".h");
  return header.str().str();
}

/// The calibration options of `cnnc compile --quantize` and `cnnc quantize`.
cnnc::CalibrationOptions calibrationOptions() {
  cnnc::CalibrationOptions calibrate;
  calibrate.source = calibration;
  calibrate.samples = calibrationSamples;
  calibrate.method = calibrationMethod;
  calibrate.percentile = calibrationPercentile;
  calibrate.keepFloat.assign(keepFloat.begin(), keepFloat.end());
  return calibrate;
}

bool checkCalibrationSamples() {
  if (!(calibrationSamples >= 1 && calibrationSamples <= 1000000)) {
    llvm::errs() << "cnnc: error: --calibration-samples "
                 << calibrationSamples << ": expected 1 to 1000000\n";
    return false;
  }
  if (!(calibrationPercentile > 50 && calibrationPercentile <= 100)) {
    llvm::errs() << "cnnc: error: --calibration-percentile "
                 << llvm::format("%g", calibrationPercentile.getValue())
                 << ": expected more than 50, at "
                 << "most 100\n";
    return false;
  }
  if (calibrationPercentile.getNumOccurrences() &&
      calibrationMethod != cnnc::CalibrationMethod::Percentile) {
    llvm::errs() << "cnnc: error: --calibration-percentile needs "
                    "--calibration-method=percentile\n";
    return false;
  }
  return true;
}

int runCompile() {
  if (!checkBatch())
    return UserError;
  if ((quantize == Quantize::Int8) != calibration.getNumOccurrences()) {
    llvm::errs() << "cnnc: error: "
                 << (calibration.getNumOccurrences()
                         ? "--calibration needs --quantize=int8"
                         : "--quantize=int8 needs --calibration=SOURCE")
                 << "\n";
    return UserError;
  }
  if (!checkCalibrationSamples())
    return UserError;
  Emit emit = emitKind == Emit::Default ? defaultEmit(outputFile) : emitKind;
  bool generatesCode = emit == Emit::LLVM || emit == Emit::Asm ||
                       emit == Emit::Obj;
  if (emit == Emit::Obj && outputFile == "-") {
    llvm::errs() << "cnnc: error: an object file needs -o FILE.o (its header "
                    "is written beside it)\n";
    return UserError;
  }
  std::vector<std::string> outputs{outputFile};
  if (emit == Emit::Obj)
    outputs.push_back(headerPath(outputFile));
  if (mlir::failed(cnnc::checkOutputPaths(outputs, inputPaths())))
    return UserError;
  std::string name = modelName.getNumOccurrences()
                         ? modelName.getValue()
                         : cnnc::modelNameFromPath(
                               outputFile == "-" ? inputFile : outputFile);
  if (!cnnc::isValidModelName(name)) {
    llvm::errs() << "cnnc: error: --name '" << name
                 << "': expected a C identifier that is not a keyword\n";
    return UserError;
  }
  std::unique_ptr<mlir::MLIRContext> context = cnnc::createContext();
  mlir::OwningOpRef<mlir::ModuleOp> module =
      cnnc::loadModel(inputFile, modelBindings(), *context);
  if (!module)
    return UserError;

  cnnc::DiagnosticPrinter printer(*context);
  cnnc::PipelineOptions pipeline;
  pipeline.optLevel = optLevel;
  pipeline.convolutionAlgorithm = convAlgorithm;
  if (trainObject) {
    cnnc::PipelineOptions::Training training;
    training.optimizer = optimizerName;
    training.loss = lossName;
    training.labelSmoothing = labelSmoothing;
    if (mlir::failed(cnnc::applyModelTrainingDefaults(
            *module, training, lossName.getNumOccurrences() > 0,
            labelSmoothing.getNumOccurrences() > 0)))
      return UserError;
    pipeline.training = training;
  }
  // The target: the code's, and the vector width the kernels are tiled for
  // (which the report shows too); --emit=linalg shows the kernels the
  // object would get, so it needs the target as well.
  std::unique_ptr<llvm::TargetMachine> machine;
  if (generatesCode || report || emit == Emit::Linalg) {
    llvm::Expected<std::unique_ptr<llvm::TargetMachine>> created =
        cnnc::createTargetMachine(targetOptions());
    if (!created) {
      llvm::errs() << "cnnc: error: " << llvm::toString(created.takeError())
                   << "\n";
      return UserError;
    }
    machine = std::move(*created);
    cnnc::setTargetWidths(pipeline, *machine);
  }
  pipeline.modelName = name;
  cnnc::Report graphReport;
  if (quantize == Quantize::Int8) {
    cnnc::QuantizationReport quantization;
    if (int status =
            cnnc::quantizeModel(*module, calibrationOptions(), pipeline,
                                targetOptions(),
                                report ? &quantization : nullptr))
      return status;
    if (report)
      graphReport.quantization = std::move(quantization);
  }
  cnnc::Stage last = generatesCode        ? cnnc::Stage::LLVMDialect
                     : emit == Emit::Linalg ? cnnc::Stage::Linalg
                                            : cnnc::Stage::CNN;
  if (report) {
    graphReport.opsBefore = cnnc::countGraphOps(*module);
    // The report describes the optimized graph (the graph stage on a
    // copy) and, per convolution and product, the kernel recorded on its
    // kernel op (the kernel stage on another).
    mlir::OwningOpRef<mlir::ModuleOp> graph = module->clone();
    mlir::OwningOpRef<mlir::ModuleOp> kernels = module->clone();
    if (mlir::failed(cnnc::compileModel(*graph, pipeline, cnnc::Stage::CNN)) ||
        mlir::failed(
            cnnc::compileModel(*kernels, pipeline, cnnc::Stage::Linalg)))
      return UserError;
    cnnc::describeGraph(*graph, graphReport, cnnc::describeKernels(*kernels));
  }
  mlir::FailureOr<cnnc::ModelInterface> model =
      cnnc::compileModel(*module, pipeline, last);
  // A lowering that cannot handle an op reports it: a user error.
  if (mlir::failed(model))
    return UserError;

  std::vector<std::pair<std::string, std::string>> files;
  if (!generatesCode) {
    std::string text;
    llvm::raw_string_ostream os(text);
    module->print(os);
    files.emplace_back(outputFile, std::move(text));
  } else {
    cnnc::Artifact artifact = emit == Emit::Obj   ? cnnc::Artifact::Object
                              : emit == Emit::Asm ? cnnc::Artifact::Assembly
                                                  : cnnc::Artifact::LLVMIR;
    llvm::Expected<std::string> code =
        cnnc::generateCode(*module, *model, *machine, optLevel, artifact);
    if (!code) {
      llvm::errs() << "cnnc: error: " << llvm::toString(code.takeError())
                   << "\n";
      return UserError;
    }
    files.emplace_back(outputFile, std::move(*code));
    if (emit == Emit::Obj) {
      std::string text;
      llvm::raw_string_ostream os(text);
      cnnc::writeCHeader(os, *model);
      files.emplace_back(headerPath(outputFile), std::move(text));
    }
  }
  if (mlir::failed(cnnc::writeFilesAtomically(files)))
    return UserError;
  if (report) {
    if (generatesCode)
      graphReport.arenaBytes = model->workspaceBytes;
    cnnc::printReport(outputFile == "-" ? llvm::errs() : llvm::outs(),
                      graphReport);
  }
  return Success;
}

int runRun() {
  if (!checkBatch())
    return UserError;
  cnnc::RunOptions options;
  options.model = inputFile;
  options.inputs = runInputs;
  options.outputDir = outputDir;
  options.checkDir = checkDir;
  options.rtol = rtol;
  options.atol = atol;
  options.repeat = repeat;
  options.bindings = modelBindings();
  options.pipeline.optLevel = optLevel;
  options.pipeline.convolutionAlgorithm = convAlgorithm;
  options.target = targetOptions();
  return cnnc::runModel(std::move(options));
}

int runExport() {
  if (!checkBatch())
    return UserError;
  if (!outputFile.getNumOccurrences()) {
    llvm::errs() << "cnnc: error: export needs -o FILE.onnx\n";
    return UserError;
  }
  if (mlir::failed(cnnc::checkOutputPaths({outputFile}, inputPaths())))
    return UserError;
  cnnc::ExportCommandOptions options;
  options.model = inputFile;
  options.output = outputFile;
  options.bindings = modelBindings();
  options.fixedBatch = fixedBatch;
  options.version = CNNC_VERSION;
  return cnnc::exportModelFile(options);
}

int runQuantize() {
  if (!checkBatch())
    return UserError;
  if (!outputFile.getNumOccurrences() || !calibration.getNumOccurrences()) {
    llvm::errs() << "cnnc: error: quantize needs --calibration=SOURCE and -o "
                    "FILE.onnx\n";
    return UserError;
  }
  if (!checkCalibrationSamples())
    return UserError;
  if (mlir::failed(cnnc::checkOutputPaths({outputFile}, inputPaths())))
    return UserError;
  cnnc::ExportCommandOptions options;
  options.model = inputFile;
  options.output = outputFile;
  options.bindings = modelBindings();
  options.fixedBatch = fixedBatch;
  options.version = CNNC_VERSION;
  options.quantize = calibrationOptions();
  options.target = targetOptions();
  return cnnc::exportModelFile(options);
}

int runTrain() {
  if (mlir::failed(cnnc::checkOutputPaths({outputFile}, inputPaths())))
    return UserError;
  cnnc::TrainOptions options;
  options.model = inputFile;
  options.data = dataSet;
  options.output = outputFile == "-" ? "" : outputFile.getValue();
  options.epochs = epochs;
  options.batch = batchSize ? batchSize.getValue() : 64;
  options.optimizer = optimizerName;
  if (lossName.getNumOccurrences())
    options.loss = lossName.getValue();
  options.labelSmoothing =
      labelSmoothing.getNumOccurrences() ? labelSmoothing.getValue() : -1.0;
  options.learningRate = learningRate;
  options.momentum = momentum;
  options.weightDecay = weightDecay;
  options.schedule = scheduleName;
  options.stepEpochs = stepEpochs;
  options.warmupSteps = warmupSteps;
  if (augment != "flip" && augment != "none") {
    llvm::errs() << "cnnc: error: --augment " << augment
                 << ": expected flip or none\n";
    return UserError;
  }
  options.flip = augment == "flip";
  options.seed = seed;
  options.init = initName;
  options.trainLimit = trainLimit;
  options.testLimit = testLimit;
  auto [mean, std] = llvm::StringRef(normalize).split(',');
  double m = 0, s = 0;
  if (mean.trim().getAsDouble(m) || std.trim().getAsDouble(s)) {
    llvm::errs() << "cnnc: error: --normalize " << normalize
                 << ": expected MEAN,STD\n";
    return UserError;
  }
  if (!checkTrainFlags(m, s))
    return UserError;
  options.mean = static_cast<float>(m);
  options.std = static_cast<float>(s);
  options.bindings = modelBindings();
  options.pipeline.optLevel = optLevel;
  options.pipeline.convolutionAlgorithm = convAlgorithm;
  options.target = targetOptions();
  return cnnc::trainModel(options);
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  mlir::registerAsmPrinterCLOptions();
  mlir::registerMLIRContextCLOptions();
  cl::SetVersionPrinter([](llvm::raw_ostream &os) {
    os << "cnnc " CNNC_VERSION " (LLVM/MLIR " LLVM_VERSION_STRING ")\n";
  });
  if (!cl::ParseCommandLineOptions(argc, argv,
                                   "cnnc: a compiler for convolutional "
                                   "networks\n",
                                   &llvm::errs()))
    return UserError;
  if (compileCommand)
    return runCompile();
  if (runCommand)
    return runRun();
  if (trainCommand)
    return runTrain();
  if (exportCommand)
    return runExport();
  if (quantizeCommand)
    return runQuantize();
  llvm::errs() << "cnnc: error: expected a command; see 'cnnc --help'\n";
  return UserError;
}
