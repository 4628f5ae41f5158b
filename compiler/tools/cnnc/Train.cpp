//===- Train.cpp - cnnc train ---------------------------------------------===//

#include "Train.h"

#include "Compiler.h"
#include "Dataset.h"
#include "ObjectLoader.h"
#include "OutputFiles.h"

#include "cnnc/Frontend/ONNX/Exporter.h"
#include "cnnc/Frontend/ONNX/ModelWriter.h"
#include "cnnc/Training/TrainStep.h"
#include "cnnc/runtime.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <random>
#include <vector>

namespace cnnc {

namespace {

constexpr llvm::StringLiteral kName = "cnnc_trained";

using Clock = std::chrono::steady_clock;

double seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

std::string duration(double s) {
  int64_t total = static_cast<int64_t>(s + 0.5);
  char text[32];
  std::snprintf(text, sizeof text, "%lld:%02lld",
                static_cast<long long>(total / 60),
                static_cast<long long>(total % 60));
  return text;
}

/// The compiled model's training entry points.
struct TrainingFunctions {
  size_t (*stateSize)();
  size_t (*workspaceSize)();
  int (*initState)(void *);
  int (*trainStep)(void *, const void *, const void *, const float *, int64_t,
                   float *, void *, void *);
  int (*evaluate)(const void *, const void *, void *, void *);
};

template <typename T>
bool lookup(LoadedModel &loaded, llvm::StringRef suffix, T &into) {
  llvm::Expected<void *> address = loaded.lookup((kName + suffix).str());
  if (!address) {
    llvm::errs() << "cnnc: internal error: "
                 << llvm::toString(address.takeError()) << "\n";
    return false;
  }
  into = reinterpret_cast<T>(*address);
  return true;
}

/// A progress line on a terminal, redrawn in place; elsewhere (a log) one
/// line at every tenth of the epoch.
class Progress {
public:
  Progress(int64_t epoch, int64_t epochs, int64_t steps)
      : epoch(epoch), epochs(epochs), steps(steps),
        terminal(llvm::sys::Process::StandardErrIsDisplayed()) {}

  void update(int64_t step, double loss, double imagesPerSecond,
              double remaining) {
    double fraction = static_cast<double>(step) / steps;
    bool last = step == steps;
    if (terminal) {
      auto now = Clock::now();
      if (!last && now - lastDraw < std::chrono::milliseconds(200))
        return;
      lastDraw = now;
    } else {
      int64_t tenth = step * 10 / steps;
      if (tenth == lastTenth)
        return;
      lastTenth = tenth;
    }
    constexpr int width = 30;
    int filled = static_cast<int>(fraction * width);
    std::string bar(filled, '=');
    if (filled < width)
      bar += '>' + std::string(width - filled - 1, ' ');
    llvm::errs() << (terminal ? "\r" : "") << "epoch " << epoch << "/" << epochs
                 << " [" << bar << "] "
                 << llvm::format("%3d%%", static_cast<int>(fraction * 100))
                 << llvm::format("  loss %.4f  %.0f img/s  ETA ", loss,
                                 imagesPerSecond)
                 << duration(remaining) << (terminal && !last ? "" : "\n");
    llvm::errs().flush();
  }

private:
  int64_t epoch, epochs, steps;
  bool terminal;
  Clock::time_point lastDraw{};
  int64_t lastTenth = -1;
};

/// The interface a Fashion-MNIST classifier must have: float [N, 1, 28, 28]
/// in, float [N, 10] out, N the --batch. Success, or UserError (printed).
int checkClassifier(const TrainOptions &options, const ModelInterface &model) {
  const TensorDescription &input = model.inputs[0];
  const TensorDescription &output = model.outputs[0];
  int64_t batch = input.shape.empty() ? 0 : input.shape[0];
  if (input.elementType != CNNC_ELEMENT_FLOAT || input.shape.size() != 4 ||
      input.shape[1] != 1 || input.shape[2] != kImageSize ||
      input.shape[3] != kImageSize) {
    llvm::errs() << "cnnc: error: " << options.model
                 << ": Fashion-MNIST images are float [N, 1, 28, 28]; the "
                    "model's input '"
                 << input.name << "' is not\n";
    return UserError;
  }
  if (batch != options.batch) {
    llvm::errs() << "cnnc: error: " << options.model << ": the model's batch "
                 << "is fixed to " << batch << "; train it with --batch "
                 << batch << "\n";
    return UserError;
  }
  if (output.shape.size() != 2 || output.shape[1] != kClasses ||
      output.elementType != CNNC_ELEMENT_FLOAT) {
    llvm::errs() << "cnnc: error: " << options.model
                 << ": Fashion-MNIST has 10 classes; the model's output '"
                 << output.name << "' is not float [N, 10]\n";
    return UserError;
  }
  return Success;
}

/// Loads the model, exports it as written when it is not ONNX already (a
/// .cnn file: the trained weights go into that ONNX model, `exported`),
/// compiles it with its train step and links it into this process.
int compileTrainer(const TrainOptions &options, bool onnxModel,
                   mlir::MLIRContext &context, std::string &exported,
                   InProcessModel &compiled) {
  ModelBindings bindings = options.bindings;
  bindings.batch = options.batch;
  mlir::OwningOpRef<mlir::ModuleOp> module =
      loadModel(options.model, bindings, context);
  if (!module)
    return UserError;
  DiagnosticPrinter printer(context);
  if (!onnxModel && !options.output.empty()) {
    mlir::FailureOr<mlir::func::FuncOp> function = findModelFunction(*module);
    if (mlir::failed(function))
      return UserError;
    llvm::Expected<std::string> bytes =
        onnx::exportModel(*function, onnx::ExportOptions());
    if (!bytes) {
      llvm::errs() << "cnnc: error: " << options.model << ": "
                   << llvm::toString(bytes.takeError()) << "\n";
      return UserError;
    }
    exported = std::move(*bytes);
  }
  PipelineOptions pipeline = options.pipeline;
  pipeline.modelName = kName.str();
  PipelineOptions::Training training;
  training.optimizer = options.optimizer;
  if (options.loss)
    training.loss = *options.loss;
  if (options.labelSmoothing >= 0)
    training.labelSmoothing = options.labelSmoothing;
  if (mlir::failed(applyModelTrainingDefaults(*module, training,
                                              options.loss.has_value(),
                                              options.labelSmoothing >= 0)))
    return UserError;
  if (training.loss != cnn::LossKind::CrossEntropy) {
    llvm::errs() << "cnnc: error: " << options.model
                 << ": cnnc train classifies Fashion-MNIST, with the "
                    "cross_entropy loss; the model asks for "
                 << cnn::stringifyLossKind(training.loss) << "\n";
    return UserError;
  }
  pipeline.training = training;
  return compileAndLoad(*module, pipeline, options.target, compiled,
                        [&](const ModelInterface &model) {
                          return checkClassifier(options, model);
                        });
}

} // namespace

int trainModel(const TrainOptions &options) {
  if (options.epochs <= 0 || options.batch <= 0) {
    llvm::errs() << "cnnc: error: --epochs and --batch must be positive\n";
    return UserError;
  }
  if (options.schedule != "none" && options.schedule != "cosine" &&
      options.schedule != "step") {
    llvm::errs() << "cnnc: error: --schedule " << options.schedule
                 << ": expected none, cosine or step\n";
    return UserError;
  }
  if (options.init != "model" && options.init != "kaiming" &&
      options.init != "xavier") {
    llvm::errs() << "cnnc: error: --init " << options.init
                 << ": expected model, kaiming or xavier\n";
    return UserError;
  }
  if (!(options.std > 0.0f)) {
    llvm::errs() << "cnnc: error: --normalize: the std must be positive\n";
    return UserError;
  }
  bool onnxModel = detectModelFormat(options.model) == ModelFormat::ONNX;
  Dataset data;
  if (!readDataset(options.data, data))
    return UserError;

  // Compile the model with its train step, and link it into this process.
  auto compileStart = Clock::now();
  std::unique_ptr<mlir::MLIRContext> context = createContext();
  std::string exported;
  InProcessModel compiled;
  if (int status = compileTrainer(options, onnxModel, *context, exported,
                                  compiled))
    return status;
  const ModelInterface *model = &compiled.interface;
  int64_t batch = model->inputs[0].shape[0];
  TrainingFunctions f;
  if (!lookup(*compiled.loaded, "_state_size", f.stateSize) ||
      !lookup(*compiled.loaded, "_train_workspace_size", f.workspaceSize) ||
      !lookup(*compiled.loaded, "_init_state", f.initState) ||
      !lookup(*compiled.loaded, "_train_step", f.trainStep) ||
      !lookup(*compiled.loaded, "_evaluate", f.evaluate))
    return InternalError;
  const TrainingInterface &layout = *model->training;
  size_t parameters = 0;
  for (const StateTensor &tensor : layout.state)
    if (tensor.kind == training::kParameterKind) {
      size_t count = 1;
      for (int64_t d : tensor.shape)
        count *= d;
      parameters += count;
    }
  llvm::outs() << "cnnc train: " << options.model << ": " << parameters
               << " parameters, batch " << batch << ", " << options.optimizer
               << ", compiled in "
               << llvm::format("%.1f s", seconds(compileStart)) << " ("
               << cnnc_num_threads() << " threads)\n";

  // State and scratch.
  struct Free {
    void operator()(void *p) const { cnnc_workspace_free(p); }
  };
  std::unique_ptr<void, Free> state(cnnc_workspace_alloc(f.stateSize()));
  std::unique_ptr<void, Free> workspace(
      cnnc_workspace_alloc(f.workspaceSize()));
  if (!state || !workspace) {
    llvm::errs() << "cnnc: error: " << cnnc_last_error() << "\n";
    return InternalError;
  }
  if (f.initState(state.get()) != 0) {
    llvm::errs() << "cnnc: error: " << cnnc_last_error() << "\n";
    return InternalError;
  }
  if (options.init != "model") {
    cnnc_init_kind kind =
        options.init == "kaiming" ? CNNC_INIT_KAIMING : CNNC_INIT_XAVIER;
    uint64_t seed = options.seed;
    for (const StateTensor &tensor : model->training->state) {
      if (tensor.kind != training::kParameterKind || tensor.shape.size() < 2)
        continue;
      cnnc_init_weight(reinterpret_cast<float *>(
                           static_cast<char *>(state.get()) + tensor.offset),
                       static_cast<int>(tensor.shape.size()),
                       tensor.shape.data(), kind,
                       ++seed * 0x9E3779B97F4A7C15ull);
    }
  }

  int64_t trainCount = data.trainImages.dims[0];
  if (options.trainLimit > 0)
    trainCount = std::min(trainCount, options.trainLimit);
  int64_t testCount = data.testImages.dims[0];
  if (options.testLimit > 0)
    testCount = std::min(testCount, options.testLimit);
  // Full batches only (shapes are static): the few images a shuffle leaves
  // over differ from epoch to epoch.
  int64_t stepsPerEpoch = trainCount / batch;
  if (stepsPerEpoch == 0) {
    llvm::errs() << "cnnc: error: " << trainCount
                 << " training images do not fill one batch of " << batch
                 << "\n";
    return UserError;
  }
  cnnc_schedule schedule{CNNC_SCHEDULE_NONE,
                         options.learningRate,
                         stepsPerEpoch * options.epochs,
                         0,
                         options.stepGamma,
                         options.warmupSteps};
  if (options.schedule == "cosine")
    schedule.kind = CNNC_SCHEDULE_COSINE;
  if (options.schedule == "step") {
    schedule.kind = CNNC_SCHEDULE_STEP;
    int64_t every = options.stepEpochs > 0
                        ? options.stepEpochs
                        : std::max<int64_t>(1, (options.epochs + 2) / 3);
    schedule.step_size = every * stepsPerEpoch;
  }

  std::vector<int64_t> order(trainCount);
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 random(options.seed);
  size_t pixels = kImageSize * kImageSize;
  std::vector<float> images(batch * pixels);
  std::vector<int32_t> labels(batch);
  std::vector<float> logits(batch * kClasses);
  std::vector<uint8_t> flips((batch + 7) / 8);
  float hyper[training::kHyperParameterCount];
  int64_t step = 0;
  llvm::outs() << "epoch  train loss  test accuracy  precision  recall  "
                  "F1      time\n";
  for (int64_t epoch = 1; epoch <= options.epochs; ++epoch) {
    std::shuffle(order.begin(), order.end(), random);
    auto epochStart = Clock::now();
    Progress progress(epoch, options.epochs, stepsPerEpoch);
    double lossSum = 0;
    for (int64_t s = 0; s < stepsPerEpoch; ++s, ++step) {
      if (options.flip)
        for (uint8_t &byte : flips)
          byte = static_cast<uint8_t>(random());
      if (cnnc_idx_batch(&data.trainImages, &data.trainLabels,
                         order.data() + s * batch, batch, options.mean,
                         options.std, options.flip ? flips.data() : nullptr,
                         images.data(), labels.data()) != 0) {
        llvm::errs() << "cnnc: error: " << cnnc_last_error() << "\n";
        return InternalError;
      }
      double t = static_cast<double>(step + 1);
      using namespace training;
      hyper[kLearningRate] =
          static_cast<float>(cnnc_learning_rate(&schedule, step));
      hyper[kMomentum] = static_cast<float>(options.momentum);
      hyper[kWeightDecay] = static_cast<float>(options.weightDecay);
      hyper[kBeta1] = static_cast<float>(options.beta1);
      hyper[kBeta2] = static_cast<float>(options.beta2);
      hyper[kEpsilon] = static_cast<float>(options.epsilon);
      hyper[kBiasCorrection1] =
          static_cast<float>(1.0 / (1.0 - std::pow(options.beta1, t)));
      hyper[kBiasCorrection2] =
          static_cast<float>(1.0 / std::sqrt(1.0 - std::pow(options.beta2, t)));
      float loss = 0;
      int64_t key = static_cast<int64_t>(options.seed * 1000003u) + step;
      if (f.trainStep(state.get(), images.data(), labels.data(), hyper, key,
                      &loss, logits.data(), workspace.get()) != 0) {
        llvm::errs() << "cnnc: error: " << cnnc_last_error() << "\n";
        return InternalError;
      }
      if (!std::isfinite(loss)) {
        llvm::errs() << "\ncnnc: error: the loss is " << loss << " at step "
                     << step + 1 << " (diverged: try a smaller --lr)\n";
        return UserError;
      }
      lossSum += loss;
      double elapsed = seconds(epochStart);
      double rate = (s + 1) * batch / std::max(elapsed, 1e-9);
      progress.update(s + 1, lossSum / (s + 1), rate,
                      (stepsPerEpoch - s - 1) * batch / rate);
    }
    double trainSeconds = seconds(epochStart);

    // The test set, in batches; the last one padded with zeros whose
    // predictions are not counted.
    std::vector<int64_t> confusion(kClasses * kClasses, 0);
    std::vector<int64_t> indices(batch);
    for (int64_t first = 0; first < testCount; first += batch) {
      int64_t count = std::min(batch, testCount - first);
      for (int64_t i = 0; i < count; ++i)
        indices[i] = first + i;
      std::fill(images.begin(), images.end(), 0.0f);
      if (cnnc_idx_batch(&data.testImages, &data.testLabels, indices.data(),
                         count, options.mean, options.std, nullptr,
                         images.data(), labels.data()) != 0 ||
          f.evaluate(state.get(), images.data(), logits.data(),
                     workspace.get()) != 0) {
        llvm::errs() << "cnnc: error: " << cnnc_last_error() << "\n";
        return InternalError;
      }
      for (int64_t i = 0; i < count; ++i) {
        int predicted = cnnc_argmax(&logits[i * kClasses], kClasses);
        ++confusion[labels[i] * kClasses + predicted];
      }
    }
    cnnc_metrics metrics =
        cnnc_classification_metrics(confusion.data(), kClasses);
    llvm::outs() << llvm::format("%5lld  %10.4f  %12.2f%%  %9.4f  %6.4f  "
                                 "%6.4f  %5.1f s\n",
                                 static_cast<long long>(epoch),
                                 lossSum / stepsPerEpoch,
                                 100.0 * metrics.accuracy, metrics.precision,
                                 metrics.recall, metrics.f1, trainSeconds);
    {
      llvm::outs() << "confusion matrix (rows: true class, columns: "
                      "predicted):\n";
      for (int t = 0; t < kClasses; ++t) {
        llvm::outs() << "  ";
        for (int p = 0; p < kClasses; ++p)
          llvm::outs() << llvm::format(
              "%5lld", static_cast<long long>(confusion[t * kClasses + p]));
        llvm::outs() << "\n";
      }
    }
    llvm::outs().flush();
  }

  if (options.output.empty())
    return Success;
  std::vector<onnx::TrainedTensor> trained;
  for (const StateTensor &tensor : layout.state) {
    if (tensor.kind == training::kSlotKind)
      continue;
    trained.push_back(
        {tensor.name,
         reinterpret_cast<const float *>(
             static_cast<const char *>(state.get()) + tensor.offset),
         static_cast<int64_t>(tensor.bytes / sizeof(float))});
  }
  onnx::InputNormalization normalization{options.mean, options.std};
  llvm::Expected<std::string> bytes =
      onnxModel
          ? onnx::writeInferenceModel(options.model, trained, normalization)
          : onnx::rewriteInferenceModel(exported, options.model, trained,
                                        normalization);
  if (!bytes) {
    llvm::errs() << "cnnc: error: " << llvm::toString(bytes.takeError())
                 << "\n";
    return UserError;
  }
  if (mlir::failed(writeFilesAtomically({{options.output, *bytes}})))
    return UserError;
  llvm::outs() << "wrote " << options.output
               << " (inference form; input: pixels in [0, 1])\n";
  return Success;
}

} // namespace cnnc
