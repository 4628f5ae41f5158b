//===- Run.cpp - cnnc run: compile in-process, run, check -----------------===//
//
// The model is compiled exactly as `cnnc compile` would (same pipeline, same
// object), linked into this process by ObjectLoader and called through its
// NAME_run. Inputs come from ONNX TensorProto files; outputs are compared
// with numpy.allclose semantics (|actual - expected| <= atol + rtol *
// |expected|, NaN never matches) and written as TensorProto files.
//
//===----------------------------------------------------------------------===//

#include "Run.h"

#include "Compiler.h"
#include "ObjectLoader.h"
#include "OutputFiles.h"

#include "cnnc/Frontend/ONNX/ModelReader.h"
#include "cnnc/runtime.h"

#include "mlir/IR/MLIRContext.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace cnnc {

namespace {

int userError(const llvm::Twine &message) {
  llvm::errs() << "cnnc: error: " << message << "\n";
  return UserError;
}

/// The graph inputs (not initializers) of `model`, in graph order.
std::vector<onnx::ValueInfo> graphInputs(const onnx::Model &model) {
  std::vector<onnx::ValueInfo> inputs;
  for (const onnx::ValueInfo &input : model.graph.inputs) {
    bool initialized = llvm::any_of(
        model.graph.initializers,
        [&](const std::shared_ptr<const onnx::Tensor> &init) {
          return init->name == input.name;
        });
    if (!initialized)
      inputs.push_back(input);
  }
  return inputs;
}

std::string describeTensor(onnx::ElementType type,
                           llvm::ArrayRef<std::string> dims) {
  return onnx::elementTypeName(type) + " [" + llvm::join(dims, ", ") + "]";
}

/// An error naming `source` when `tensor` cannot be the value of `input`:
/// another element type, rank or fixed dimension.
std::optional<std::string> mismatch(const onnx::Tensor &tensor,
                                    const onnx::ValueInfo &input,
                                    llvm::StringRef source) {
  bool typeDiffers = input.type != onnx::ElementType::Undefined &&
                     input.type != tensor.type;
  bool shapeDiffers =
      input.hasShape && input.dims.size() != tensor.shape.size();
  for (size_t d = 0; input.hasShape && !shapeDiffers && d < input.dims.size();
       ++d)
    shapeDiffers = input.dims[d].isKnown() &&
                   input.dims[d].value != tensor.shape[d];
  if (!typeDiffers && !shapeDiffers)
    return std::nullopt;
  std::vector<std::string> given, expected;
  for (int64_t d : tensor.shape)
    given.push_back(std::to_string(d));
  for (const onnx::Dim &dim : input.dims)
    expected.push_back(dim.isKnown() ? std::to_string(dim.value)
                       : dim.symbol.empty() ? "?"
                                            : dim.symbol);
  return (source + ": holds " + describeTensor(tensor.type, given) +
          "; the model's input '" + input.name + "' is " +
          describeTensor(input.type, expected))
      .str();
}

/// Reads the given input values: --input NAME=FILE, and DIR/input_N.pb for
/// --check DIR (matched to the graph inputs by position), each checked
/// against the declaration of `model` (the ONNX model; null for .mlir).
int readInputs(const RunOptions &options, const onnx::Model *model,
               std::map<std::string, onnx::Tensor> &values) {
  std::vector<onnx::ValueInfo> inputs;
  bool isOnnx = model != nullptr;
  if (isOnnx)
    inputs = graphInputs(*model);
  auto find = [&](llvm::StringRef name) -> const onnx::ValueInfo * {
    for (const onnx::ValueInfo &input : inputs)
      if (input.name == name)
        return &input;
    return nullptr;
  };
  if (!options.checkDir.empty()) {
    if (!llvm::sys::fs::is_directory(options.checkDir))
      return userError("--check " + options.checkDir + ": not a directory");
    for (size_t i = 0;; ++i) {
      std::string path =
          (options.checkDir + "/input_" + llvm::Twine(i) + ".pb").str();
      if (!llvm::sys::fs::exists(path))
        break;
      if (isOnnx && i >= inputs.size())
        return userError(path + ": the model has only " +
                         llvm::Twine(inputs.size()) + " graph inputs");
      llvm::Expected<onnx::Tensor> tensor = onnx::readTensorFile(path);
      if (!tensor)
        return userError(llvm::toString(tensor.takeError()));
      std::string name = isOnnx                ? inputs[i].name
                         : !tensor->name.empty() ? tensor->name
                                                 : "input_" + std::to_string(i);
      if (isOnnx)
        if (std::optional<std::string> error =
                mismatch(*tensor, inputs[i], path))
          return userError(*error);
      values[name] = std::move(*tensor);
    }
  }
  llvm::StringSet<> bound;
  for (llvm::StringRef binding : options.inputs) {
    auto [name, file] = binding.split('=');
    if (name.empty() || file.empty())
      return userError("--input '" + binding + "': expected NAME=FILE.pb");
    if (!bound.insert(name).second)
      return userError("--input " + name +
                       ": given twice; give each input once");
    const onnx::ValueInfo *input = find(name);
    if (isOnnx && !input)
      return userError("--input " + name + ": the model has no graph input '" +
                       name + "'");
    llvm::Expected<onnx::Tensor> tensor = onnx::readTensorFile(file);
    if (!tensor)
      return userError("--input " + name + ": " +
                       llvm::toString(tensor.takeError()));
    if (input)
      if (std::optional<std::string> error =
              mismatch(*tensor, *input, ("--input " + binding).str()))
        return userError(*error);
    values[name.str()] = std::move(*tensor);
  }
  return Success;
}

struct Comparison {
  double maxAbs = 0, maxRel = 0;
  int64_t bad = 0;
};

Comparison compare(const onnx::Tensor &actual, const onnx::Tensor &expected,
                   double rtol, double atol) {
  Comparison result;
  std::vector<double> a = actual.toFloats(), e = expected.toFloats();
  for (size_t i = 0; i < a.size(); ++i) {
    double diff = std::fabs(a[i] - e[i]);
    bool equalInf = std::isinf(a[i]) && a[i] == e[i];
    if (equalInf)
      diff = 0;
    if (std::isnan(diff)) {
      ++result.bad;
      result.maxAbs = result.maxRel = INFINITY;
      continue;
    }
    result.maxAbs = std::max(result.maxAbs, diff);
    if (e[i] != 0)
      result.maxRel = std::max(result.maxRel, diff / std::fabs(e[i]));
    else if (diff != 0)
      result.maxRel = INFINITY;
    if (!(diff <= atol + rtol * std::fabs(e[i])))
      ++result.bad;
  }
  return result;
}

/// The compiled model's inputs, in its order, from the values read: each
/// must be given and of the compiled type and shape.
int bindInputs(const ModelInterface &model,
               const std::map<std::string, onnx::Tensor> &values,
               std::vector<const void *> &inputs) {
  for (const TensorDescription &input : model.inputs) {
    auto value = values.find(input.name);
    if (value == values.end())
      return userError("no value for input '" + input.name +
                       "'; give it with --input " + input.name + "=FILE.pb");
    const onnx::Tensor &tensor = value->second;
    if (static_cast<int>(tensor.type) != input.elementType ||
        !llvm::equal(tensor.shape, input.shape))
      return userError("input '" + input.name + "' holds " +
                       onnx::elementTypeName(tensor.type) +
                       " of shape [" +
                       llvm::join(llvm::map_range(tensor.shape,
                                                  [](int64_t d) {
                                                    return std::to_string(d);
                                                  }),
                                  ",") +
                       "]; the model takes another type or shape");
    inputs.push_back(tensor.bytes.data());
  }
  return Success;
}

/// Runs `loaded` once into `outputs` (tensors of the compiled outputs'
/// types and shapes), then `repeat` more times, printing the latency.
int runAndTime(LoadedModel &loaded, const ModelInterface &model,
               const std::vector<const void *> &inputs, int64_t repeat,
               std::vector<onnx::Tensor> &outputs) {
  outputs.assign(model.outputs.size(), onnx::Tensor());
  std::vector<void *> outputPointers;
  for (auto [tensor, description] : llvm::zip(outputs, model.outputs)) {
    tensor.name = description.name;
    tensor.type = static_cast<onnx::ElementType>(description.elementType);
    tensor.shape.assign(description.shape.begin(), description.shape.end());
    tensor.bytes.assign(description.bytes, '\0');
    outputPointers.push_back(tensor.bytes.data());
  }
  void *workspace = cnnc_workspace_alloc(loaded.workspaceSize());
  if (!workspace)
    return userError(cnnc_last_error());
  auto runOnce = [&] {
    return loaded.run(inputs.data(), outputPointers.data(), workspace);
  };
  if (runOnce() != 0) {
    llvm::errs() << "cnnc: error: " << cnnc_last_error() << "\n";
    cnnc_workspace_free(workspace);
    return UserError;
  }
  if (repeat > 0) {
    std::vector<double> times;
    for (int64_t i = 0; i < repeat; ++i) {
      auto start = std::chrono::steady_clock::now();
      runOnce();
      times.push_back(std::chrono::duration<double, std::milli>(
                          std::chrono::steady_clock::now() - start)
                          .count());
    }
    std::sort(times.begin(), times.end());
    llvm::outs() << llvm::format(
        "latency over %lld runs: median %.3f ms, min %.3f ms, max %.3f ms\n",
        static_cast<long long>(repeat), times[times.size() / 2],
        times.front(), times.back());
  }
  cnnc_workspace_free(workspace);
  return Success;
}

/// Writes --output-dir's DIR/output_N.pb, in graph order; never over a
/// file the run read (the model, an --input, --check's files).
int writeOutputs(const RunOptions &options,
                 const std::vector<onnx::Tensor> &outputs) {
  const std::string &dir = options.outputDir;
  std::vector<std::string> paths, inputs{options.model};
  for (size_t i = 0; i < outputs.size(); ++i)
    paths.push_back((dir + "/output_" + llvm::Twine(i) + ".pb").str());
  for (llvm::StringRef binding : options.inputs)
    inputs.push_back(binding.split('=').second.str());
  if (!options.checkDir.empty()) {
    std::error_code error;
    for (llvm::sys::fs::directory_iterator it(options.checkDir, error), end;
         !error && it != end; it.increment(error))
      inputs.push_back(it->path());
  }
  if (mlir::failed(checkOutputPaths(paths, inputs)))
    return UserError;
  std::error_code error = llvm::sys::fs::create_directories(dir);
  if (error)
    return userError("cannot create '" + dir + "': " + error.message());
  std::vector<std::pair<std::string, std::string>> files;
  for (size_t i = 0; i < outputs.size(); ++i)
    files.emplace_back(paths[i], onnx::serializeTensor(outputs[i]));
  if (mlir::failed(writeFilesAtomically(files)))
    return UserError;
  return Success;
}

/// Compares `outputs` with DIR/output_N.pb, printing the errors of each:
/// Success when all match, Mismatch otherwise.
int checkOutputs(const RunOptions &options,
                 const std::vector<onnx::Tensor> &outputs) {
  int status = Success;
  for (size_t i = 0; i < outputs.size(); ++i) {
    std::string path =
        (options.checkDir + "/output_" + llvm::Twine(i) + ".pb").str();
    llvm::Expected<onnx::Tensor> expected = onnx::readTensorFile(path);
    if (!expected)
      return userError(llvm::toString(expected.takeError()));
    if (!llvm::equal(expected->shape, outputs[i].shape) ||
        isFloatingPoint(expected->type) != isFloatingPoint(outputs[i].type)) {
      llvm::outs() << "output " << i << " '" << outputs[i].name
                   << "': MISMATCH: expected "
                   << onnx::elementTypeName(expected->type) << " of "
                   << expected->numElements()
                   << " elements in another shape\n";
      status = Mismatch;
      continue;
    }
    Comparison result =
        compare(outputs[i], *expected, options.rtol, options.atol);
    llvm::outs() << "output " << i << " '" << outputs[i].name
                 << "': max abs error " << llvm::format("%.3g", result.maxAbs)
                 << ", max rel error " << llvm::format("%.3g", result.maxRel)
                 << ": ";
    if (result.bad == 0) {
      llvm::outs() << "ok\n";
    } else {
      llvm::outs() << "MISMATCH (" << result.bad << " of "
                   << outputs[i].numElements() << " elements outside rtol "
                   << llvm::format("%g", options.rtol) << ", atol "
                   << llvm::format("%g", options.atol) << ")\n";
      status = Mismatch;
    }
  }
  return status;
}

} // namespace

int runModel(RunOptions options) {
  if (options.repeat < 0)
    return userError("--repeat must be at least 0");
  if (!(options.rtol >= 0) || !(options.atol >= 0))
    return userError("--rtol and --atol must be non-negative");
  // The ONNX model is read once: for its inputs here, then imported.
  if (detectModelFormat(options.model) == ModelFormat::ONNX) {
    llvm::Expected<onnx::Model> model = onnx::readModelFile(options.model);
    if (!model)
      return userError(llvm::toString(model.takeError()));
    options.bindings.model =
        std::make_shared<const onnx::Model>(std::move(*model));
  }
  if (int status = readInputs(options, options.bindings.model.get(),
                              options.bindings.values))
    return status;

  std::unique_ptr<mlir::MLIRContext> context = createContext();
  mlir::OwningOpRef<mlir::ModuleOp> module =
      loadModel(options.model, options.bindings, *context);
  if (!module)
    return UserError;
  DiagnosticPrinter printer(*context);
  PipelineOptions pipeline = options.pipeline;
  pipeline.modelName = modelNameFromPath(options.model);
  InProcessModel compiled;
  if (int status = compileAndLoad(*module, pipeline, options.target, compiled))
    return status;

  std::vector<const void *> inputs;
  if (int status =
          bindInputs(compiled.interface, options.bindings.values, inputs))
    return status;
  std::vector<onnx::Tensor> outputs;
  if (int status = runAndTime(*compiled.loaded, compiled.interface, inputs,
                              options.repeat, outputs))
    return status;
  if (!options.outputDir.empty())
    if (int status = writeOutputs(options, outputs))
      return status;
  if (!options.checkDir.empty())
    return checkOutputs(options, outputs);
  return Success;
}

} // namespace cnnc
