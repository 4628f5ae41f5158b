//===- Elaborator.cpp - From the AST to the cnn dialect -------------------===//
//
// Walks the model's statements with the current value (its shape known at
// every step), expanding blocks with their arguments, and writes one cnn op
// per layer, located at the layer's text and named after the layer
// ("conv3", "basic2.conv1"): a parameter is a cnn.constant named
// "<layer>.weight", "<layer>.bias", ... initialized from the model's seed.
// Here: expressions, arguments, the composition statements (residual,
// concat, if, repeat), blocks and the model function; the layers
// themselves are in Layers.cpp. Every check is made while building, so that
// an error points at the statement and shows the shapes involved.
//
//===----------------------------------------------------------------------===//

#include "cnnc/Frontend/DSL/DSL.h"
#include "cnnc/Dialect/CNN/IR/CompilerAttributes.h"

#include "Elaborator.h"
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

namespace detail {

std::optional<Scalar> Elaborator::evaluate(const Expr &expr,
                                           const Environment &env) {
  using Type = Scalar::Type;
  auto fail = [&](const llvm::Twine &message) -> std::optional<Scalar> {
    error(expr.range, message);
    return std::nullopt;
  };
  // Numbers are doubles: integers are exact up to 2^53, and one beyond
  // would turn into a wrong number (or overflow a conversion) later.
  auto exact = [&](Scalar scalar) -> std::optional<Scalar> {
    constexpr double kLargest = 9007199254740992.0; // 2^53
    if (scalar.type == Type::Int && !(std::fabs(scalar.value) <= kLargest))
      return fail("integer out of range: " +
                  llvm::formatv("{0:e}", scalar.value).str() +
                  " is beyond 2^53, where integers are exact");
    return scalar;
  };
  switch (expr.kind) {
  case Expr::Kind::Number:
    return exact(
        Scalar{expr.isInteger ? Type::Int : Type::Float, expr.number});
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
      return exact(Scalar{type, l->value + r->value});
    if (op == "-")
      return exact(Scalar{type, l->value - r->value});
    if (op == "*")
      return exact(Scalar{type, l->value * r->value});
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
  function.setArgAttr(0, cnnc::attrs::kName, builder.getStringAttr(model.inputName));
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
  function.setResultAttr(0, cnnc::attrs::kName, builder.getStringAttr("logits"));
  (*module)->setAttr(cnnc::attrs::kLoss, builder.getStringAttr(cnn::stringifyLossKind(model.loss)));
  (*module)->setAttr(cnnc::attrs::kLabelSmoothing,
                     builder.getF64FloatAttr(model.labelSmoothing));
  if (mlir::failed(mlir::verify(*module)))
    return nullptr;
  return module;
}

} // namespace detail

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
  return detail::Elaborator(sources, context, *model, options).run();
}

} // namespace cnnc::dsl
