//===- Layers.cpp - The layers of the .cnn language -----------------------===//
//
// Each layer's arguments (names, types, defaults), the checks of its input
// (rank, a kernel that fits, the parameter budget) with messages that show
// the shapes, its parameters initialized from the model's seed, and the cnn
// op it writes.
//
//===----------------------------------------------------------------------===//

#include "Elaborator.h"
#include "cnnc/Dialect/CNN/IR/ConstantElements.h"

#include "cnnc/Dialect/CNN/IR/ShapeArithmetic.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/StringExtras.h"

#include <cmath>

namespace cnnc::dsl::detail {

using mlir::Value;

/// Counts `parameters` more and checks that the model stays within
/// kMaxParameters and its `result` within kMaxElements.
bool Elaborator::budget(const Statement &s, double parameters,
                        llvm::ArrayRef<int64_t> result) {
  int64_t elements = 1;
  for (int64_t d : result) {
    if (d > kMaxElements / std::max<int64_t>(elements, 1))
      return error(s.nameRange, "'" + s.name + "' would produce " +
                                    shapeText(result) +
                                    ", more than 2^34 elements");
    elements *= d;
  }
  if (parameters < 0 ||
      parameters > static_cast<double>(kMaxParameters - parameterCount))
    return error(s.nameRange, "the model would have more than 2^28 "
                              "parameters with '" +
                                  s.name + "'");
  parameterCount += static_cast<int64_t>(parameters);
  return true;
}

bool Elaborator::requireImage(const Statement &s) {
  if (shape().size() == 4)
    return true;
  return error(
      s.nameRange,
      "'" + s.name + "' takes images [N, C, H, W]; its input is " +
          shapeText(shape()) +
          (shape().size() == 2 ? " (after a flatten or a linear layer)" : ""));
}

Value Elaborator::parameter(mlir::Location loc, const std::string &name,
                            llvm::ArrayRef<int64_t> dims,
                            llvm::ArrayRef<float> values) {
  auto type = tensorOf(dims);
  mlir::ElementsAttr value = cnn::constantElements(type, values, name);
  mlir::Location at =
      mlir::NameLoc::get(builder.getStringAttr(name),
                         mlir::cast<mlir::NameLoc>(loc).getChildLoc());
  return cnn::ConstantOp::create(builder, at, value);
}

std::vector<float> Elaborator::initialWeights(int64_t count, int64_t fanIn,
                                              int64_t fanOut) {
  std::vector<float> values(static_cast<size_t>(count));
  if (model.init == "kaiming") {
    // He et al.: normal, std sqrt(2 / fan_in) (ReLU's gain).
    std::normal_distribution<double> normal(0.0, std::sqrt(2.0 / fanIn));
    for (float &v : values)
      v = static_cast<float>(normal(random));
    return values;
  }
  // PyTorch's default (kaiming_uniform with a = sqrt(5)): U(+-1/sqrt(fan_in));
  // Xavier/Glorot: U(+-sqrt(6 / (fan_in + fan_out))).
  double bound = model.init == "xavier"
                     ? std::sqrt(6.0 / static_cast<double>(fanIn + fanOut))
                     : 1.0 / std::sqrt(static_cast<double>(fanIn));
  std::uniform_real_distribution<double> uniform(-bound, bound);
  for (float &v : values)
    v = static_cast<float>(uniform(random));
  return values;
}

std::vector<float> Elaborator::initialBiases(int64_t count, int64_t fanIn) {
  std::vector<float> values(count, 0.0f);
  if (model.init != "default")
    return values;
  double bound = 1.0 / std::sqrt(static_cast<double>(fanIn));
  std::uniform_real_distribution<double> uniform(-bound, bound);
  for (float &v : values)
    v = static_cast<float>(uniform(random));
  return values;
}

bool Elaborator::conv(const Statement &s, Arguments &args, Scope &scope) {
  if (!requireImage(s))
    return false;
  int64_t out, kernel, stride, padding, dilation, groups;
  if (!integerArgument(s, args, "out", out, 1) ||
      !integerArgument(s, args, "kernel", kernel, 1) ||
      !integerArgument(s, args, "stride", stride, 1) ||
      !integerArgument(s, args, "padding", padding, 0) ||
      !integerArgument(s, args, "dilation", dilation, 1) ||
      !integerArgument(s, args, "groups", groups, 1))
    return false;
  llvm::SmallVector<int64_t> in(shape());
  if (in[1] % groups != 0 || out % groups != 0)
    return error(s.argumentsRange.isValid() ? s.argumentsRange : s.nameRange,
                 "groups=" + std::to_string(groups) +
                     " must divide the input channels (" +
                     std::to_string(in[1]) + ") and out (" +
                     std::to_string(out) + ")");
  llvm::SmallVector<int64_t> result{in[0], out};
  for (int d = 2; d < 4; ++d) {
    int64_t size = shape::windowOutputSize(in[d], kernel, stride, dilation,
                                           {padding, padding});
    if (size <= 0)
      return error(s.nameRange,
                   "conv's " + std::to_string(kernel) + "x" +
                       std::to_string(kernel) + " kernel (dilation " +
                       std::to_string(dilation) + ") does not fit its input " +
                       shapeText(in) + " padded by " + std::to_string(padding));
    result.push_back(size);
  }
  if (!budget(s,
              static_cast<double>(out) * static_cast<double>(in[1] / groups) *
                      static_cast<double>(kernel) *
                      static_cast<double>(kernel) +
                  static_cast<double>(out),
              result))
    return false;
  std::string name = scope.next("conv");
  mlir::Location loc = locate(s.nameRange, name);
  int64_t fanIn = in[1] / groups * kernel * kernel;
  int64_t fanOut = out / groups * kernel * kernel;
  llvm::SmallVector<int64_t> weightShape{out, in[1] / groups, kernel, kernel};
  Value weight = parameter(
      loc, name + ".weight", weightShape,
      initialWeights(out * (in[1] / groups) * kernel * kernel, fanIn, fanOut));
  Value bias;
  if (args.lookup("bias").value)
    bias = parameter(loc, name + ".bias", {out}, initialBiases(out, fanIn));
  current = cnn::ConvOp::create(
      builder, loc, tensorOf(result), current, weight, bias, Value(),
      llvm::ArrayRef<int64_t>{stride, stride},
      llvm::ArrayRef<int64_t>{padding, padding, padding, padding},
      llvm::ArrayRef<int64_t>{dilation, dilation},
      static_cast<uint64_t>(groups), nullptr, nullptr, nullptr);
  return true;
}

bool Elaborator::pool(const Statement &s, Arguments &args, Scope &scope,
                      cnn::PoolKind kind) {
  if (!requireImage(s))
    return false;
  int64_t kernel, stride, padding;
  if (!integerArgument(s, args, "kernel", kernel, 1))
    return false;
  if (!args.count("stride"))
    args["stride"] = Scalar{Scalar::Type::Int, static_cast<double>(kernel)};
  if (!integerArgument(s, args, "stride", stride, 1) ||
      !integerArgument(s, args, "padding", padding, 0))
    return false;
  if (2 * padding > kernel)
    return error(s.nameRange, "'" + s.name + "' pads by " +
                                  std::to_string(padding) +
                                  ", more than half its kernel (" +
                                  std::to_string(kernel) + ")");
  bool ceil = args.lookup("ceil_mode").value != 0;
  llvm::SmallVector<int64_t> in(shape());
  llvm::SmallVector<int64_t> result{in[0], in[1]};
  for (int d = 2; d < 4; ++d) {
    int64_t size = shape::windowOutputSize(in[d], kernel, stride, 1,
                                           {padding, padding}, ceil);
    if (size <= 0)
      return error(s.nameRange, "'" + s.name + "''s " + std::to_string(kernel) +
                                    "x" + std::to_string(kernel) +
                                    " window does not fit its input " +
                                    shapeText(in));
    result.push_back(size);
  }
  mlir::Location loc = locate(s.nameRange, scope.next(s.name));
  bool includePad =
      kind == cnn::PoolKind::Avg && args.lookup("count_include_pad").value != 0;
  current = cnn::PoolOp::create(
      builder, loc, tensorOf(result), kind, current,
      llvm::ArrayRef<int64_t>{kernel, kernel},
      llvm::ArrayRef<int64_t>{stride, stride},
      llvm::ArrayRef<int64_t>{padding, padding, padding, padding},
      llvm::ArrayRef<int64_t>{1, 1}, ceil, includePad);
  return true;
}

bool Elaborator::linear(const Statement &s, Arguments &args, Scope &scope) {
  if (shape().size() != 2)
    return error(s.nameRange, "'linear' takes a flat input [N, features]; "
                              "its input is " +
                                  shapeText(shape()) +
                                  " (add flatten before it)");
  int64_t out;
  if (!integerArgument(s, args, "out", out, 1))
    return false;
  int64_t in = shape()[1];
  if (!budget(s, static_cast<double>(out) * static_cast<double>(in) + out,
              {shape()[0], out}))
    return false;
  std::string name = scope.next("linear");
  mlir::Location loc = locate(s.nameRange, name);
  Value weight = parameter(loc, name + ".weight", {out, in},
                           initialWeights(out * in, in, out));
  Value bias;
  if (args.lookup("bias").value)
    bias = parameter(loc, name + ".bias", {out}, initialBiases(out, in));
  current = cnn::MatmulOp::create(
      builder, loc, tensorOf({shape()[0], out}), current, weight, bias,
      /*transpose_lhs=*/false, /*transpose_rhs=*/true, llvm::APFloat(1.0f),
      llvm::APFloat(1.0f), nullptr, nullptr, nullptr);
  return true;
}

bool Elaborator::batchNorm(const Statement &s, Arguments &args, Scope &scope) {
  if (shape().size() != 4 && shape().size() != 2)
    return error(s.nameRange, "'batch_norm' takes [N, C, H, W] or [N, C]; "
                              "its input is " +
                                  shapeText(shape()));
  int64_t channels = shape()[1];
  std::string name = scope.next("batch_norm");
  mlir::Location loc = locate(s.nameRange, name);
  std::vector<float> ones(channels, 1.0f), zeros(channels, 0.0f);
  Value scale = parameter(loc, name + ".weight", {channels}, ones);
  Value bias = parameter(loc, name + ".bias", {channels}, zeros);
  Value mean = parameter(loc, name + ".running_mean", {channels}, zeros);
  Value variance = parameter(loc, name + ".running_var", {channels}, ones);
  double eps = args.lookup("eps").value;
  if (!(eps > 0))
    return error(s.nameRange, "expected a positive eps");
  current = cnn::BatchNormOp::create(
      builder, loc, current, scale, bias, mean, variance,
      builder.getF32FloatAttr(static_cast<float>(eps)));
  return true;
}

bool Elaborator::layer(const Statement &s, Environment &env, Scope &scope) {
  using Type = Scalar::Type;
  static const double kKernel = std::nan("");
  struct Layer {
    std::vector<ParameterSpec> parameters;
    std::function<bool(Elaborator &, const Statement &, Arguments &, Scope &)>
        build;
  };
  auto activation = [](cnn::ActivationKind kind, std::optional<double> alpha,
                       std::optional<double> beta) {
    return [kind, alpha, beta](Elaborator &e, const Statement &s,
                               Arguments &args, Scope &scope) {
      mlir::Location loc = e.locate(s.nameRange, scope.next(s.name));
      mlir::FloatAttr a, b;
      std::optional<double> alphaValue = alpha;
      if (args.count("slope"))
        alphaValue = args.lookup("slope").value;
      if (args.count("alpha"))
        alphaValue = args.lookup("alpha").value;
      if (alphaValue)
        a = e.builder.getF32FloatAttr(static_cast<float>(*alphaValue));
      if (beta)
        b = e.builder.getF32FloatAttr(static_cast<float>(*beta));
      e.current =
          cnn::ActivationOp::create(e.builder, loc, kind, e.current, a, b);
      return true;
    };
  };
  static const llvm::StringMap<Layer> *table = [&] {
    auto *t = new llvm::StringMap<Layer>();
    (*t)["conv"] = {{{"out", Type::Int, {}},
                     {"kernel", Type::Int, {}},
                     {"stride", Type::Int, 1.0},
                     {"padding", Type::Int, 0.0},
                     {"dilation", Type::Int, 1.0},
                     {"groups", Type::Int, 1.0},
                     {"bias", Type::Bool, 1.0}},
                    [](Elaborator &e, const Statement &s, Arguments &a,
                       Scope &scope) { return e.conv(s, a, scope); }};
    for (const char *name : {"max_pool", "avg_pool"}) {
      bool isMax = llvm::StringRef(name) == "max_pool";
      std::vector<ParameterSpec> params{{"kernel", Type::Int, {}},
                                        {"stride", Type::Int, kKernel},
                                        {"padding", Type::Int, 0.0},
                                        {"ceil_mode", Type::Bool, 0.0}};
      if (!isMax)
        params.push_back({"count_include_pad", Type::Bool, 1.0});
      (*t)[name] = {params, [isMax](Elaborator &e, const Statement &s,
                                    Arguments &a, Scope &scope) {
                      return e.pool(s, a, scope,
                                    isMax ? cnn::PoolKind::Max
                                          : cnn::PoolKind::Avg);
                    }};
    }
    for (const char *name : {"global_avg_pool", "global_max_pool"}) {
      bool isMax = llvm::StringRef(name) == "global_max_pool";
      (*t)[name] = {
          {},
          [isMax](Elaborator &e, const Statement &s, Arguments &,
                  Scope &scope) {
            if (!e.requireImage(s))
              return false;
            mlir::Location loc = e.locate(s.nameRange, scope.next(s.name));
            e.current = cnn::GlobalPoolOp::create(
                e.builder, loc, isMax ? cnn::PoolKind::Max : cnn::PoolKind::Avg,
                e.current);
            return true;
          }};
    }
    (*t)["batch_norm"] = {
        {{"eps", Type::Float, 1e-5}},
        [](Elaborator &e, const Statement &s, Arguments &a, Scope &scope) {
          return e.batchNorm(s, a, scope);
        }};
    (*t)["linear"] = {{{"out", Type::Int, {}}, {"bias", Type::Bool, 1.0}},
                      [](Elaborator &e, const Statement &s, Arguments &a,
                         Scope &scope) { return e.linear(s, a, scope); }};
    (*t)["flatten"] = {
        {}, [](Elaborator &e, const Statement &s, Arguments &, Scope &scope) {
          llvm::ArrayRef<int64_t> in = e.shape();
          int64_t features = 1;
          for (int64_t d : in.drop_front())
            features *= d;
          mlir::Location loc = e.locate(s.nameRange, scope.next("flatten"));
          e.current = cnn::ReshapeOp::create(
              e.builder, loc, e.tensorOf({in[0], features}), e.current);
          return true;
        }};
    (*t)["dropout"] = {
        {{"p", Type::Float, 0.5}},
        [](Elaborator &e, const Statement &s, Arguments &a, Scope &scope) {
          double p = a.lookup("p").value;
          if (!(p >= 0 && p < 1))
            return e.error(s.argumentsRange.isValid() ? s.argumentsRange
                                                      : s.nameRange,
                           "expected a dropout probability p "
                           "in [0, 1)");
          mlir::Location loc = e.locate(s.nameRange, scope.next("dropout"));
          e.current = cnn::DropoutOp::create(
              e.builder, loc, e.current,
              e.builder.getF32FloatAttr(static_cast<float>(p)),
              e.builder.getI64IntegerAttr(0));
          return true;
        }};
    using K = cnn::ActivationKind;
    (*t)["relu"] = {{}, activation(K::Relu, {}, {})};
    (*t)["relu6"] = {{}, activation(K::Clip, 0.0, 6.0)};
    (*t)["leaky_relu"] = {{{"slope", Type::Float, 0.01}},
                          activation(K::LeakyRelu, 0.01, {})};
    (*t)["sigmoid"] = {{}, activation(K::Sigmoid, {}, {})};
    (*t)["tanh"] = {{}, activation(K::Tanh, {}, {})};
    (*t)["hard_swish"] = {{}, activation(K::HardSwish, {}, {})};
    (*t)["hard_sigmoid"] = {{}, activation(K::HardSigmoid, 1.0 / 6.0, 0.5)};
    (*t)["silu"] = {{}, activation(K::Silu, {}, {})};
    (*t)["gelu"] = {{}, activation(K::Gelu, {}, {})};
    (*t)["elu"] = {{{"alpha", Type::Float, 1.0}}, activation(K::Elu, 1.0, {})};
    return t;
  }();

  auto found = table->find(s.name);
  if (found == table->end()) {
    // The closest known name, as a hint.
    std::string best;
    unsigned bestDistance = 3;
    auto consider = [&](llvm::StringRef candidate) {
      unsigned d = llvm::StringRef(s.name).edit_distance(candidate);
      if (d < bestDistance || (d == bestDistance && !best.empty() &&
                               candidate.size() < best.size())) {
        bestDistance = d;
        best = candidate.str();
      }
    };
    for (const auto &entry : *table)
      consider(entry.getKey());
    for (const auto &entry : model.blocks)
      consider(entry.getKey());
    return error(
        s.nameRange,
        "unknown layer '" + s.name + "'" +
            (best.empty() ? std::string() : "; did you mean '" + best + "'?"));
  }
  // Evaluate the arguments, then bind them.
  Arguments values;
  for (size_t i = 0; i < s.arguments.size(); ++i) {
    std::optional<Scalar> value = evaluate(*s.arguments[i].value, env);
    if (!value)
      return false;
    values[s.arguments[i].name.empty() ? "#" + std::to_string(i)
                                       : s.arguments[i].name] = *value;
  }
  if (!bind(s, found->second.parameters, values))
    return false;
  return found->second.build(*this, s, values, scope);
}

} // namespace cnnc::dsl::detail
