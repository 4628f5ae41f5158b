//===- Elaborator.cpp - From the AST to the cnn dialect -------------------===//
//
// Walks the model's statements with the current value (its shape known at
// every step), expanding blocks with their arguments, and writes one cnn op
// per layer, located at the layer's text and named after the layer
// ("conv3", "basic2.conv1"): a parameter is a cnn.constant named
// "<layer>.weight", "<layer>.bias", ... initialized from the model's seed.
// Every check a layer needs (the rank it takes, a kernel that fits, equal
// shapes around a residual) is made here, so that the error points at the
// statement and shows the shapes involved.
//
//===----------------------------------------------------------------------===//

#include "cnnc/Frontend/DSL/DSL.h"

#include "AST.h"
#include "Parser.h"

#include "cnnc/Dialect/CNN/IR/CNNOps.h"
#include "cnnc/Dialect/CNN/IR/ShapeArithmetic.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>
#include <functional>
#include <random>

namespace cnnc::dsl {

namespace {

using mlir::Value;

/// A value of an expression.
struct Scalar {
  enum class Type { Int, Float, Bool };
  Type type = Type::Int;
  double value = 0;
};

using Environment = llvm::StringMap<Scalar>;

/// Where layer names are counted: the model, or one expansion of a block.
struct Scope {
  std::string prefix;
  llvm::StringMap<int> counters;
  std::string next(llvm::StringRef kind) {
    return prefix + kind.str() + std::to_string(++counters[kind]);
  }
};

/// One parameter of a layer: its name, type and default (none: required).
struct ParameterSpec {
  const char *name;
  Scalar::Type type;
  std::optional<double> defaultValue;
};

/// Limits that keep a model (and the fuzzer) within memory and time.
constexpr int64_t kMaxStatements = 100000;
constexpr int64_t kMaxParameters = int64_t(1) << 28;
constexpr int64_t kMaxElements = int64_t(1) << 34;

std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}

std::string shapeText(llvm::ArrayRef<int64_t> shape) {
  std::string text = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}

class Elaborator {
public:
  Elaborator(llvm::SourceMgr &sources, mlir::MLIRContext &context,
             const ModelSource &model, const Options &options)
      : sources(sources), context(context), model(model), options(options),
        builder(&context), random(static_cast<uint64_t>(model.seed)) {}

  mlir::OwningOpRef<mlir::ModuleOp> run();

private:
  using Arguments = llvm::StringMap<Scalar>;
  using LayerFunction = std::function<bool(const Statement &, Arguments &)>;

  bool error(llvm::SMRange range, const llvm::Twine &message) {
    sources.PrintMessage(range.Start, llvm::SourceMgr::DK_Error, message,
                         {range});
    return false;
  }
  mlir::Location locate(llvm::SMRange range, llvm::StringRef name) {
    auto [line, column] = sources.getLineAndColumn(range.Start);
    llvm::StringRef file =
        sources.getMemoryBuffer(sources.getMainFileID())->getBufferIdentifier();
    mlir::Location at = mlir::FileLineColLoc::get(&context, file, line, column);
    return mlir::NameLoc::get(builder.getStringAttr(name), at);
  }

  // Values.
  llvm::ArrayRef<int64_t> shape() const {
    return mlir::cast<mlir::RankedTensorType>(current.getType()).getShape();
  }
  mlir::RankedTensorType tensorOf(llvm::ArrayRef<int64_t> dims) {
    return mlir::RankedTensorType::get(dims, builder.getF32Type());
  }
  std::optional<Scalar> evaluate(const Expr &expr, const Environment &env);
  bool bind(const Statement &statement,
            llvm::ArrayRef<ParameterSpec> parameters, Arguments &values);
  bool integerArgument(const Statement &statement, const Arguments &values,
                       llvm::StringRef name, int64_t &result, int64_t min);

  // Statements.
  bool elaborate(const Body &body, Environment &env, Scope &scope);
  bool statement(const Statement &statement, Environment &env, Scope &scope);
  bool callBlock(const BlockDefinition &block, const Statement &statement,
                 Environment &env, Scope &scope);
  bool layer(const Statement &statement, Environment &env, Scope &scope);

  // Layers.
  bool requireImage(const Statement &statement);
  bool budget(const Statement &statement, double parameters,
              llvm::ArrayRef<int64_t> result);
  Value parameter(mlir::Location loc, const std::string &name,
                  llvm::ArrayRef<int64_t> dims, llvm::ArrayRef<float> values);
  std::vector<float> initialWeights(int64_t count, int64_t fanIn,
                                    int64_t fanOut);
  std::vector<float> initialBiases(int64_t count, int64_t fanIn);
  bool conv(const Statement &statement, Arguments &args, Scope &scope);
  bool pool(const Statement &statement, Arguments &args, Scope &scope,
            cnn::PoolKind kind);
  bool linear(const Statement &statement, Arguments &args, Scope &scope);
  bool batchNorm(const Statement &statement, Arguments &args, Scope &scope);

  llvm::SourceMgr &sources;
  mlir::MLIRContext &context;
  const ModelSource &model;
  const Options &options;
  mlir::OpBuilder builder;
  std::mt19937_64 random;
  Value current;
  int depth = 0;
  int64_t statements = 0;
  int64_t parameterCount = 0;
};

std::optional<Scalar> Elaborator::evaluate(const Expr &expr,
                                           const Environment &env) {
  using Type = Scalar::Type;
  auto fail = [&](const llvm::Twine &message) -> std::optional<Scalar> {
    error(expr.range, message);
    return std::nullopt;
  };
  switch (expr.kind) {
  case Expr::Kind::Number:
    return Scalar{expr.isInteger ? Type::Int : Type::Float, expr.number};
  case Expr::Kind::Name: {
    if (expr.name == "true" || expr.name == "false")
      return Scalar{Type::Bool, expr.name == "true" ? 1.0 : 0.0};
    if (expr.name == "in_channels") {
      if (shape().size() < 2)
        return fail("in_channels: the input here has no channels (it is " +
                    shapeText(shape()) + ")");
      return Scalar{Type::Int, static_cast<double>(shape()[1])};
    }
    auto found = env.find(expr.name);
    if (found == env.end())
      return fail("unknown name '" + expr.name +
                  "' (names are the block's parameters, in_channels, true "
                  "and false)");
    return found->second;
  }
  case Expr::Kind::Negate:
  case Expr::Kind::Not: {
    std::optional<Scalar> operand = evaluate(*expr.lhs, env);
    if (!operand)
      return std::nullopt;
    if (expr.kind == Expr::Kind::Not) {
      if (operand->type != Type::Bool)
        return fail("'!' takes true or false");
      return Scalar{Type::Bool, operand->value ? 0.0 : 1.0};
    }
    if (operand->type == Type::Bool)
      return fail("'-' takes a number");
    return Scalar{operand->type, -operand->value};
  }
  case Expr::Kind::Binary: {
    std::optional<Scalar> l = evaluate(*expr.lhs, env);
    std::optional<Scalar> r = evaluate(*expr.rhs, env);
    if (!l || !r)
      return std::nullopt;
    llvm::StringRef op = expr.name;
    if (op == "&&" || op == "||") {
      if (l->type != Type::Bool || r->type != Type::Bool)
        return fail("'" + op + "' takes true or false on both sides");
      bool value = op == "&&" ? (l->value && r->value) : (l->value || r->value);
      return Scalar{Type::Bool, value ? 1.0 : 0.0};
    }
    if (l->type == Type::Bool || r->type == Type::Bool) {
      if ((op == "==" || op == "!=") && l->type == r->type)
        return Scalar{Type::Bool,
                      (l->value == r->value) == (op == "==") ? 1.0 : 0.0};
      return fail("'" + op + "' takes numbers");
    }
    Type type =
        l->type == Type::Int && r->type == Type::Int ? Type::Int : Type::Float;
    auto boolean = [](bool b) { return Scalar{Type::Bool, b ? 1.0 : 0.0}; };
    if (op == "+")
      return Scalar{type, l->value + r->value};
    if (op == "-")
      return Scalar{type, l->value - r->value};
    if (op == "*")
      return Scalar{type, l->value * r->value};
    if (op == "/") {
      if (r->value == 0)
        return fail("division by zero");
      if (type == Type::Int)
        return Scalar{Type::Int, std::floor(l->value / r->value)};
      return Scalar{Type::Float, l->value / r->value};
    }
    if (op == "==")
      return boolean(l->value == r->value);
    if (op == "!=")
      return boolean(l->value != r->value);
    if (op == "<")
      return boolean(l->value < r->value);
    if (op == "<=")
      return boolean(l->value <= r->value);
    if (op == ">")
      return boolean(l->value > r->value);
    if (op == ">=")
      return boolean(l->value >= r->value);
    return fail("unknown operator '" + op + "'");
  }
  }
  return std::nullopt;
}

/// Matches `statement`'s arguments to `parameters` (positional, then by
/// name), checks their types, and fills in the defaults.
bool Elaborator::bind(const Statement &statement,
                      llvm::ArrayRef<ParameterSpec> parameters,
                      Arguments &values) {
  // Statement arguments were evaluated by the caller into `values` keyed by
  // position ("#0") or name; here they get their parameter's name.
  Arguments bound;
  std::string names;
  for (const ParameterSpec &p : parameters)
    names += (names.empty() ? "" : ", ") + std::string(p.name);
  for (size_t i = 0; i < statement.arguments.size(); ++i) {
    const Argument &argument = statement.arguments[i];
    std::string key =
        argument.name.empty() ? "#" + std::to_string(i) : argument.name;
    Scalar value = values[key];
    const ParameterSpec *spec = nullptr;
    if (argument.name.empty()) {
      if (i >= parameters.size())
        return error(argument.value->range,
                     "'" + statement.name + "' takes " +
                         std::to_string(parameters.size()) + " arguments (" +
                         (names.empty() ? "none" : names) + "), got more");
      spec = &parameters[i];
    } else {
      for (const ParameterSpec &p : parameters)
        if (argument.name == p.name)
          spec = &p;
      if (!spec)
        return error(argument.nameRange,
                     "'" + statement.name + "' has no argument '" +
                         argument.name + "' (it takes " +
                         (names.empty() ? "none" : names) + ")");
    }
    if (bound.count(spec->name))
      return error(argument.nameRange,
                   "argument '" + std::string(spec->name) + "' is given twice");
    using Type = Scalar::Type;
    if (spec->type == Type::Int &&
        (value.type != Type::Int || value.value != std::floor(value.value)))
      return error(argument.value->range,
                   "expected an integer for '" + std::string(spec->name) +
                       "' of '" + statement.name + "', got " +
                       (value.type == Type::Bool
                            ? std::string(value.value ? "true" : "false")
                            : number(value.value)));
    if (spec->type == Type::Bool && value.type != Type::Bool)
      return error(argument.value->range, "expected true or false for '" +
                                              std::string(spec->name) +
                                              "' of '" + statement.name + "'");
    if (spec->type == Type::Float && value.type == Type::Bool)
      return error(argument.value->range, "expected a number for '" +
                                              std::string(spec->name) +
                                              "' of '" + statement.name + "'");
    bound[spec->name] = value;
  }
  for (const ParameterSpec &p : parameters) {
    if (bound.count(p.name))
      continue;
    if (!p.defaultValue)
      return error(statement.nameRange, "'" + statement.name +
                                            "' needs its argument '" + p.name +
                                            "' (it takes " + names + ")");
    if (!std::isnan(*p.defaultValue))
      bound[p.name] = Scalar{p.type, *p.defaultValue};
  }
  values = std::move(bound);
  return true;
}

bool Elaborator::integerArgument(const Statement &statement,
                                 const Arguments &values, llvm::StringRef name,
                                 int64_t &result, int64_t min) {
  result = static_cast<int64_t>(values.lookup(name).value);
  if (result >= min && result <= (int64_t(1) << 24))
    return true;
  llvm::SMRange range = statement.nameRange;
  for (size_t i = 0; i < statement.arguments.size(); ++i)
    if (statement.arguments[i].name == name ||
        (statement.arguments[i].name.empty() && i == 0 && name == "out"))
      range = statement.arguments[i].value->range;
  return error(range, "expected '" + name + "' of '" + statement.name +
                          "' from " + std::to_string(min) + " to 2^24, got " +
                          std::to_string(result));
}

bool Elaborator::elaborate(const Body &body, Environment &env, Scope &scope) {
  for (const std::unique_ptr<Statement> &s : body)
    if (!statement(*s, env, scope))
      return false;
  return true;
}

bool Elaborator::statement(const Statement &s, Environment &env, Scope &scope) {
  if (++statements > kMaxStatements)
    return error(s.nameRange, "the model expands to more than " +
                                  std::to_string(kMaxStatements) +
                                  " layers (check the repeat counts)");
  switch (s.kind) {
  case Statement::Kind::Layer:
    if (auto block = model.blocks.find(s.name); block != model.blocks.end())
      return callBlock(block->second, s, env, scope);
    return layer(s, env, scope);
  case Statement::Kind::If: {
    std::optional<Scalar> condition = evaluate(*s.condition, env);
    if (!condition)
      return false;
    if (condition->type != Scalar::Type::Bool)
      return error(s.condition->range, "expected a condition (true or false)");
    return elaborate(condition->value ? s.body : s.other, env, scope);
  }
  case Statement::Kind::Repeat: {
    std::optional<Scalar> count = evaluate(*s.condition, env);
    if (!count)
      return false;
    if (count->type != Scalar::Type::Int || count->value < 0 ||
        count->value > 4096)
      return error(s.condition->range,
                   "expected a repeat count from 0 to 4096");
    for (int64_t i = 0; i < static_cast<int64_t>(count->value); ++i)
      if (!elaborate(s.body, env, scope))
        return false;
    return true;
  }
  case Statement::Kind::Residual: {
    Value input = current;
    llvm::SmallVector<int64_t> before(shape());
    if (!elaborate(s.body, env, scope))
      return false;
    Value body = current;
    llvm::SmallVector<int64_t> after(shape());
    Value skip = input;
    llvm::SmallVector<int64_t> skipShape = before;
    if (!s.other.empty()) {
      current = input;
      if (!elaborate(s.other, env, scope))
        return false;
      skip = current;
      skipShape.assign(shape().begin(), shape().end());
      if (skipShape != after)
        return error(s.nameRange,
                     "the residual's body gives " + shapeText(after) +
                         " but its shortcut gives " + shapeText(skipShape) +
                         "; they are added, so they must be equal");
    } else if (after != before) {
      return error(s.nameRange,
                   "the residual's body turns " + shapeText(before) + " into " +
                       shapeText(after) +
                       "; without a shortcut { ... } they must be equal");
    }
    mlir::Location loc = locate(s.nameRange, scope.next("add"));
    current =
        cnn::BinaryOp::create(builder, loc, cnn::BinaryKind::Add, body, skip);
    return true;
  }
  case Statement::Kind::Concat: {
    Value input = current;
    llvm::SmallVector<Value> outputs;
    llvm::SmallVector<int64_t> first;
    for (const Body &branch : s.branches) {
      current = input;
      if (!elaborate(branch, env, scope))
        return false;
      llvm::SmallVector<int64_t> dims(shape());
      if (outputs.empty()) {
        first = dims;
      } else {
        llvm::SmallVector<int64_t> a = first, b = dims;
        bool agree = a.size() == b.size() && a.size() >= 2;
        if (agree) {
          a[1] = b[1] = 0;
          agree = a == b;
        }
        if (!agree)
          return error(s.nameRange,
                       "the concat's branches give " + shapeText(first) +
                           " and " + shapeText(dims) +
                           "; they are joined along the channels, so all "
                           "other dimensions must be equal");
      }
      outputs.push_back(current);
    }
    mlir::Location loc = locate(s.nameRange, scope.next("concat"));
    current = cnn::ConcatOp::create(builder, loc, outputs, 1);
    return true;
  }
  }
  return false;
}

bool Elaborator::callBlock(const BlockDefinition &block, const Statement &s,
                           Environment &env, Scope &scope) {
  if (++depth > 64) {
    --depth;
    return error(s.nameRange, "blocks nest more than 64 deep (does '" +
                                  block.name + "' call itself?)");
  }
  Environment inner;
  std::string names;
  for (const Parameter &p : block.parameters)
    names += (names.empty() ? "" : ", ") + p.name;
  llvm::StringMap<const Argument *> given;
  for (size_t i = 0; i < s.arguments.size(); ++i) {
    const Argument &argument = s.arguments[i];
    const Parameter *parameter = nullptr;
    if (argument.name.empty()) {
      if (i >= block.parameters.size()) {
        --depth;
        return error(argument.value->range,
                     "block '" + block.name + "' takes " +
                         std::to_string(block.parameters.size()) +
                         " arguments (" + names + "), got more");
      }
      parameter = &block.parameters[i];
    } else {
      for (const Parameter &p : block.parameters)
        if (p.name == argument.name)
          parameter = &p;
      if (!parameter) {
        --depth;
        return error(argument.nameRange,
                     "block '" + block.name + "' has no parameter '" +
                         argument.name + "' (it takes " + names + ")");
      }
    }
    if (given.count(parameter->name)) {
      --depth;
      return error(argument.nameRange,
                   "argument '" + parameter->name + "' is given twice");
    }
    given[parameter->name] = &argument;
  }
  for (const Parameter &p : block.parameters) {
    std::optional<Scalar> value;
    if (const Argument *argument = given.lookup(p.name))
      value = evaluate(*argument->value, env);
    else if (p.defaultValue)
      value = evaluate(*p.defaultValue, inner);
    else {
      --depth;
      return error(s.nameRange, "block '" + block.name +
                                    "' needs its parameter '" + p.name +
                                    "' (it takes " + names + ")");
    }
    if (!value) {
      --depth;
      return false;
    }
    inner[p.name] = *value;
  }
  Scope blockScope;
  blockScope.prefix = scope.next(block.name) + ".";
  bool ok = elaborate(block.body, inner, blockScope);
  --depth;
  return ok;
}

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
  mlir::ElementsAttr value;
  if (values.size() <= 16) {
    value = mlir::DenseElementsAttr::get(type, values);
  } else {
    mlir::AsmResourceBlob blob =
        mlir::HeapAsmResourceBlob::allocateAndCopyWithAlign(
            llvm::ArrayRef<char>(reinterpret_cast<const char *>(values.data()),
                                 values.size() * sizeof(float)),
            alignof(float));
    std::string key = name;
    for (char &c : key)
      if (!llvm::isAlnum(c) && c != '_' && c != '.')
        c = '_';
    value = mlir::DenseResourceElementsAttr::get(type, key, std::move(blob));
  }
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

mlir::OwningOpRef<mlir::ModuleOp> Elaborator::run() {
  mlir::Location fileLoc = locate(model.inputRange, model.inputName);
  mlir::OwningOpRef<mlir::ModuleOp> module = mlir::ModuleOp::create(fileLoc);
  builder.setInsertionPointToEnd(module->getBody());
  llvm::SmallVector<int64_t> inputShape{options.batch};
  llvm::append_range(inputShape, model.inputShape);
  std::string name = model.name.empty() ? "model" : model.name;
  auto function = mlir::func::FuncOp::create(
      builder, fileLoc, name,
      builder.getFunctionType({tensorOf(inputShape)}, {}));
  function.setArgAttr(0, "cnn.name", builder.getStringAttr(model.inputName));
  mlir::Block *body = function.addEntryBlock();
  builder.setInsertionPointToStart(body);
  current = body->getArgument(0);
  Environment env;
  Scope scope;
  if (!elaborate(model.layers, env, scope))
    return nullptr;
  mlir::func::ReturnOp::create(builder, fileLoc, current);
  function.setFunctionType(
      builder.getFunctionType({tensorOf(inputShape)}, {current.getType()}));
  function.setResultAttr(0, "cnn.name", builder.getStringAttr("logits"));
  (*module)->setAttr("cnnc.loss", builder.getStringAttr(model.loss));
  (*module)->setAttr("cnnc.label_smoothing",
                     builder.getF64FloatAttr(model.labelSmoothing));
  if (mlir::failed(mlir::verify(*module)))
    return nullptr;
  return module;
}

} // namespace

mlir::OwningOpRef<mlir::ModuleOp> importModel(llvm::SourceMgr &sources,
                                              mlir::MLIRContext &context,
                                              const Options &options) {
  context.loadDialect<cnn::CNNDialect, mlir::func::FuncDialect>();
  std::optional<ModelSource> model = parseModel(sources);
  if (!model)
    return nullptr;
  if (options.batch <= 0 || options.batch > (int64_t(1) << 20)) {
    sources.PrintMessage(model->inputRange.Start, llvm::SourceMgr::DK_Error,
                         "the batch must be from 1 to 2^20",
                         {model->inputRange});
    return nullptr;
  }
  return Elaborator(sources, context, *model, options).run();
}

} // namespace cnnc::dsl
