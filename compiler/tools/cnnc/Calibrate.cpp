//===- Calibrate.cpp - Post-training quantization: calibrate, quantize ----===//

#include "Calibrate.h"

#include "Compiler.h"
#include "Dataset.h"

#include "cnnc/Frontend/ONNX/ModelReader.h"
#include "cnnc/Transforms/Passes.h"
#include "cnnc/Transforms/QuantizeGraph.h"
#include "cnnc/runtime.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>
#include <cstring>

using namespace mlir;

namespace cnnc {
namespace {

int calibrationError(const llvm::Twine &message) {
  llvm::errs() << "cnnc: error: --calibration: " << message << "\n";
  return UserError;
}

std::string shapeText(llvm::ArrayRef<int64_t> shape) {
  std::string text = "[";
  for (auto [i, d] : llvm::enumerate(shape))
    text += (i ? ", " : "") + std::to_string(d);
  return text + "]";
}

/// The ONNX test-data files of `dir`: DIR/input_N.pb, or the input_0.pb of
/// each DIR/*/ (test_data_set_N), sorted.
std::vector<std::string> sampleFiles(llvm::StringRef dir) {
  std::vector<std::string> files, nested;
  std::error_code error;
  for (llvm::sys::fs::directory_iterator it(dir, error), end;
       !error && it != end; it.increment(error)) {
    llvm::StringRef name = llvm::sys::path::filename(it->path());
    if (name.starts_with("input_") && name.ends_with(".pb")) {
      files.push_back(it->path());
      continue;
    }
    llvm::SmallString<256> inner(it->path());
    llvm::sys::path::append(inner, "input_0.pb");
    if (llvm::sys::fs::is_regular_file(inner))
      nested.push_back(inner.str().str());
  }
  std::vector<std::string> &result = files.empty() ? nested : files;
  std::sort(result.begin(), result.end());
  return result;
}

/// The samples, as the bytes of the model's one float input, each a whole
/// batch: from Fashion-MNIST's training images or from .pb files.
int readSamples(const CalibrationOptions &options,
                const TensorDescription &input,
                std::vector<std::string> &samples) {
  int64_t elements = input.bytes / sizeof(float);
  if (llvm::StringRef(options.source).starts_with("fashion-mnist")) {
    if (input.shape.size() != 4 || input.shape[1] != 1 ||
        input.shape[2] != kImageSize || input.shape[3] != kImageSize)
      return calibrationError("fashion-mnist's images are [N, 1, 28, 28]; "
                              "the model's input '" +
                              input.name + "' is not");
    Dataset data;
    if (!readDataset(options.source, data, "--calibration"))
      return UserError;
    int64_t batch = input.shape[0], pixels = kImageSize * kImageSize;
    int64_t images =
        std::min<int64_t>(options.samples, data.trainImages.dims[0]);
    for (int64_t first = 0; first < images; first += batch) {
      std::string bytes(input.bytes, '\0');
      auto *values = reinterpret_cast<float *>(bytes.data());
      for (int64_t i = 0; i < elements; ++i) {
        int64_t image = (first + i / pixels) % data.trainImages.dims[0];
        values[i] = data.trainImages.data[image * pixels + i % pixels] / 255.0f;
      }
      samples.push_back(std::move(bytes));
    }
    return Success;
  }
  if (!llvm::sys::fs::is_directory(options.source))
    return calibrationError("'" + options.source +
                            "' is neither a folder of input_N.pb files "
                            "(or of ONNX test-data folders) nor "
                            "fashion-mnist[:DIR]");
  std::vector<std::string> files = sampleFiles(options.source);
  if (files.empty())
    return calibrationError("'" + options.source +
                            "' holds no input_N.pb file and no folder with "
                            "an input_0.pb");
  if (static_cast<int64_t>(files.size()) > options.samples)
    files.resize(options.samples);
  for (const std::string &file : files) {
    llvm::Expected<onnx::Tensor> tensor = onnx::readTensorFile(file);
    if (!tensor)
      return calibrationError(llvm::toString(tensor.takeError()));
    if (static_cast<int>(tensor->type) != input.elementType ||
        !llvm::equal(tensor->shape, input.shape))
      return calibrationError(
          file + ": expected float " + shapeText(input.shape) +
          " (the input '" + input.name + "'), got " +
          onnx::elementTypeName(tensor->type) + " " + shapeText(tensor->shape));
    samples.push_back(std::move(tensor->bytes));
  }
  return Success;
}

void widen(TensorRange &range, const float *values, int64_t count) {
  for (int64_t i = 0; i < count; ++i) {
    range.min = std::min(range.min, values[i]);
    range.max = std::max(range.max, values[i]);
  }
}

} // namespace

int quantizeModel(ModuleOp module, const CalibrationOptions &options,
                  const PipelineOptions &pipeline,
                  const TargetOptions &target) {
  FailureOr<func::FuncOp> function = findModelFunction(module);
  if (failed(function))
    return UserError;
  // Batch norms folded into their convolutions first: the quantized
  // weights are the folded ones.
  PassManager pm(module.getContext());
  pm.addNestedPass<func::FuncOp>(createFoldConstants());
  pm.addNestedPass<func::FuncOp>(createRemoveInferenceIdentities());
  pm.addNestedPass<func::FuncOp>(createFoldBatchNorm());
  pm.addPass(createCanonicalizerPass());
  if (failed(pm.run(module)))
    return UserError;
  llvm::StringSet<> keep;
  for (const std::string &name : options.keepFloat)
    keep.insert(name);
  SmallVector<Value> points = quantizationPoints(*function, keep);
  if (points.empty())
    return calibrationError("the model has no convolution or matrix product "
                            "with constant weights to quantize");

  // The float model with every point as an extra output (the model's own
  // input is measured on the samples themselves).
  OwningOpRef<ModuleOp> probe = module.clone();
  func::FuncOp probeFunction = *findModelFunction(*probe);
  SmallVector<Value> probePoints = quantizationPoints(probeFunction, keep);
  auto terminator = probeFunction.getBody().front().getTerminator();
  SmallVector<int> outputOf(probePoints.size(), -1);
  for (auto [i, point] : llvm::enumerate(probePoints)) {
    if (isa<BlockArgument>(point))
      continue;
    outputOf[i] = terminator->getNumOperands();
    (void)probeFunction.insertResult(probeFunction.getNumResults(),
                                     point.getType(), DictionaryAttr());
    terminator->insertOperands(terminator->getNumOperands(), point);
  }
  PipelineOptions probeOptions = pipeline;
  probeOptions.modelName = "cnnc_calibration";
  probeOptions.training.reset();
  InProcessModel model;
  if (int status = compileAndLoad(*probe, probeOptions, target, model))
    return status;
  const ModelInterface &interface = model.interface;
  if (interface.inputs.size() != 1 ||
      interface.inputs[0].elementType != CNNC_ELEMENT_FLOAT)
    return calibrationError("calibration feeds one float input; the model "
                            "takes " +
                            std::to_string(interface.inputs.size()) +
                            " inputs");
  std::vector<std::string> samples;
  if (int status = readSamples(options, interface.inputs[0], samples))
    return status;

  std::vector<TensorRange> ranges(points.size(),
                                  TensorRange{INFINITY, -INFINITY});
  std::vector<std::string> outputs;
  std::vector<void *> outputPointers;
  for (const TensorDescription &output : interface.outputs) {
    outputs.emplace_back(output.bytes, '\0');
    outputPointers.push_back(outputs.back().data());
  }
  void *workspace = cnnc_workspace_alloc(model.loaded->workspaceSize());
  if (!workspace)
    return calibrationError(cnnc_last_error());
  for (const std::string &sample : samples) {
    const void *inputs[] = {sample.data()};
    if (model.loaded->run(inputs, outputPointers.data(), workspace) != 0) {
      cnnc_workspace_free(workspace);
      return calibrationError(cnnc_last_error());
    }
    for (size_t i = 0; i < points.size(); ++i) {
      const std::string &bytes =
          outputOf[i] < 0 ? sample : outputs[outputOf[i]];
      widen(ranges[i], reinterpret_cast<const float *>(bytes.data()),
            bytes.size() / sizeof(float));
    }
  }
  cnnc_workspace_free(workspace);
  for (const TensorRange &range : ranges)
    if (!std::isfinite(range.min) || !std::isfinite(range.max))
      return calibrationError("the float model computes values that are not "
                              "finite on the samples; nothing to calibrate "
                              "on");
  quantizeGraph(*function, points, ranges, keep);
  return Success;
}

} // namespace cnnc
