//===- Calibrate.cpp - Post-training quantization: calibrate, quantize ----===//

#include "Calibrate.h"

#include "Compiler.h"
#include "Dataset.h"

#include "cnnc/Frontend/ONNX/ModelReader.h"
#include "cnnc/Transforms/Passes.h"
#include "cnnc/Transforms/QuantizeGraph.h"
#include "cnnc/runtime.h"

#include "mlir/IR/IRMapping.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
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

/// A progress bar on stderr while calibrating, when stderr is a terminal.
class Progress {
public:
  Progress(int64_t total) : total(total) {}
  ~Progress() {
    if (shown)
      llvm::errs() << "\r\033[K";
  }
  void step(llvm::StringRef what) {
    ++done;
    if (!llvm::errs().is_displayed())
      return;
    int width = 30, filled = static_cast<int>(width * done / total);
    llvm::errs() << "\rcnnc: calibrating (" << what << ") ["
                 << std::string(filled, '=') << std::string(width - filled, ' ')
                 << "] " << done << "/" << total << "\033[K";
    llvm::errs().flush();
    shown = true;
  }

private:
  int64_t total, done = 0;
  bool shown = false;
};

/// A model compiled into this process with some of its values as extra
/// outputs, run one sample at a time.
class Probe {
public:
  ~Probe() { cnnc_workspace_free(workspace); }

  /// Compiles a copy of `module` whose model function also returns
  /// `values` (values of `module`); the model's input stands for itself.
  int build(ModuleOp module, ArrayRef<Value> values, llvm::StringRef name,
            PipelineOptions pipeline, const TargetOptions &target) {
    IRMapping mapping;
    OwningOpRef<ModuleOp> copy = cast<ModuleOp>(module->clone(mapping));
    func::FuncOp function = *findModelFunction(*copy);
    Operation *terminator = function.getBody().front().getTerminator();
    for (Value value : values) {
      Value mapped = mapping.lookupOrDefault(value);
      if (isa<BlockArgument>(mapped)) {
        resultOf.push_back(-1);
        continue;
      }
      resultOf.push_back(terminator->getNumOperands());
      (void)function.insertResult(function.getNumResults(), mapped.getType(),
                                  DictionaryAttr());
      terminator->insertOperands(terminator->getNumOperands(), mapped);
    }
    pipeline.modelName = name.str();
    pipeline.training.reset();
    if (int status = compileAndLoad(*copy, pipeline, target, model))
      return status;
    for (const TensorDescription &output : model.interface.outputs) {
      outputs.emplace_back(output.bytes, '\0');
      pointers.push_back(outputs.back().data());
    }
    workspace = cnnc_workspace_alloc(model.loaded->workspaceSize());
    if (!workspace)
      return calibrationError(cnnc_last_error());
    return Success;
  }

  const ModelInterface &interface() const { return model.interface; }

  int run(const std::string &sample) {
    const void *inputs[] = {sample.data()};
    if (model.loaded->run(inputs, pointers.data(), workspace) != 0)
      return calibrationError(cnnc_last_error());
    return Success;
  }

  /// The bytes of the model's output `index` after the last run.
  llvm::ArrayRef<float> output(size_t index) const {
    return {reinterpret_cast<const float *>(outputs[index].data()),
            outputs[index].size() / sizeof(float)};
  }
  /// The bytes of `values[index]` after running `sample`.
  llvm::ArrayRef<float> value(size_t index, const std::string &sample) const {
    if (resultOf[index] < 0)
      return {reinterpret_cast<const float *>(sample.data()),
              sample.size() / sizeof(float)};
    return output(resultOf[index]);
  }

private:
  InProcessModel model;
  std::vector<int> resultOf;
  std::vector<std::string> outputs;
  std::vector<void *> pointers;
  void *workspace = nullptr;
};

std::string methodName(const CalibrationOptions &options) {
  switch (options.method) {
  case CalibrationMethod::MinMax:
    return "minmax";
  case CalibrationMethod::Percentile:
    return llvm::formatv("percentile {0}",
                         llvm::format("%g", options.percentile))
        .str();
  case CalibrationMethod::Entropy:
    return "entropy";
  }
  return "";
}

/// The number of rows of `output` ([rows, classes]) whose largest entry is
/// at the same class in `a` and `b`.
int64_t agreeingRows(llvm::ArrayRef<float> a, llvm::ArrayRef<float> b,
                     int64_t rows, int64_t classes) {
  int64_t agree = 0;
  for (int64_t row = 0; row < rows; ++row) {
    auto first = a.begin() + row * classes, second = b.begin() + row * classes;
    agree += std::max_element(first, first + classes) - first ==
             std::max_element(second, second + classes) - second;
  }
  return agree;
}

} // namespace

int quantizeModel(ModuleOp module, const CalibrationOptions &options,
                  const PipelineOptions &pipeline, const TargetOptions &target,
                  QuantizationReport *report) {
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

  // The float model with every point as an extra output.
  Probe floats;
  if (int status =
          floats.build(module, points, "cnnc_calibration", pipeline, target))
    return status;
  const ModelInterface &interface = floats.interface();
  if (interface.inputs.size() != 1 ||
      interface.inputs[0].elementType != CNNC_ELEMENT_FLOAT)
    return calibrationError("calibration feeds one float input; the model "
                            "takes " +
                            std::to_string(interface.inputs.size()) +
                            " inputs");
  std::vector<std::string> samples;
  if (int status = readSamples(options, interface.inputs[0], samples))
    return status;

  int64_t passes = 1 + needsHistogram(options.method) + (report != nullptr);
  Progress progress(passes * static_cast<int64_t>(samples.size()));
  std::vector<RangeObserver> observers(points.size());
  // One pass of the float model over the samples, each point's values
  // handed to `observe` with its observer.
  auto pass = [&](llvm::StringRef what,
                  void (RangeObserver::*observe)(const float *, int64_t)) {
    for (const std::string &sample : samples) {
      if (int status = floats.run(sample))
        return status;
      for (size_t i = 0; i < points.size(); ++i) {
        llvm::ArrayRef<float> values = floats.value(i, sample);
        (observers[i].*observe)(values.data(), values.size());
      }
      progress.step(what);
    }
    return static_cast<int>(Success);
  };
  if (int status = pass("ranges", &RangeObserver::observeRange))
    return status;
  for (const RangeObserver &observer : observers)
    if (!observer.finite())
      return calibrationError("the float model computes values that are not "
                              "finite on the samples; nothing to calibrate "
                              "on");
  if (needsHistogram(options.method))
    if (int status = pass("histograms", &RangeObserver::observeHistogram))
      return status;
  std::vector<TensorRange> ranges;
  for (const RangeObserver &observer : observers)
    ranges.push_back(observer.range(options.method, options.percentile));

  // 7-bit weights where the target's kernel sums pairs of u8 x s8 products
  // in int16 (vpmaddubsw without VNNI): no pair can saturate.
  llvm::Expected<std::unique_ptr<llvm::TargetMachine>> machine =
      createTargetMachine(target);
  if (!machine)
    return calibrationError(llvm::toString(machine.takeError()));
  int64_t weightLimit =
      !int8DotProductBits(**machine) && int8MultiplyAddBits(**machine) ? 63
                                                                       : 127;
  SmallVector<CalibratedLayer> layers = calibratedLayers(*function, keep);
  quantizeGraph(*function, points, ranges, keep, weightLimit);
  if (!report)
    return Success;

  // The int8 model against the float one: each int8 layer's output (the
  // dequantized value its consumers read) and the model's first output.
  report->method = methodName(options);
  report->weightBits = weightLimit == 63 ? 7 : 8;
  report->samples = samples.size();
  SmallVector<Value> measured;
  std::vector<size_t> pointOf;
  for (const CalibratedLayer &layer : layers) {
    LayerPrecision row;
    collectNodes(layer.op->getLoc(), row.nodes);
    row.int8 = static_cast<bool>(layer.output);
    report->layers.push_back(row);
    if (!layer.output)
      continue;
    // The point's one user is its quantize, whose one user the dequantize.
    Operation *quantize = *layer.output.getUsers().begin();
    measured.push_back(quantize->getResult(0).getUsers().begin()->getResult(0));
    pointOf.push_back(llvm::find(points, layer.output) - points.begin());
  }
  Probe integers;
  if (int status = integers.build(module, measured, "cnnc_calibration_int8",
                                  pipeline, target))
    return status;
  std::vector<double> signal(measured.size()), noise(measured.size());
  const TensorDescription &result = interface.outputs[0];
  bool classes =
      result.shape.size() == 2 && result.elementType == CNNC_ELEMENT_FLOAT;
  int64_t agree = 0;
  for (const std::string &sample : samples) {
    if (int status = floats.run(sample))
      return status;
    if (int status = integers.run(sample))
      return status;
    for (size_t i = 0; i < measured.size(); ++i) {
      llvm::ArrayRef<float> exact = floats.value(pointOf[i], sample);
      llvm::ArrayRef<float> approximate = integers.value(i, sample);
      for (size_t j = 0; j < exact.size(); ++j) {
        double difference = double(exact[j]) - approximate[j];
        signal[i] += double(exact[j]) * exact[j];
        noise[i] += difference * difference;
      }
    }
    if (classes) {
      agree += agreeingRows(floats.output(0), integers.output(0),
                            result.shape[0], result.shape[1]);
      report->rows += result.shape[0];
    }
    progress.step("int8 against float");
  }
  size_t next = 0;
  for (LayerPrecision &row : report->layers)
    if (row.int8) {
      row.sqnr = noise[next] == 0 ? INFINITY
                                  : 10 * std::log10(signal[next] / noise[next]);
      ++next;
    }
  if (classes && report->rows)
    report->top1Agreement = double(agree) / report->rows;
  return Success;
}

} // namespace cnnc
