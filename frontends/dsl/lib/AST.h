//===- AST.h - A parsed .cnn model ------------------------------*- C++ -*-===//
//
// What the parser produces and the elaborator (Elaborator.cpp) turns into
// the cnn dialect: statements keep their source ranges, so that errors
// found while building (a shape that does not fit) point at the text.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_FRONTEND_DSL_AST_H
#define CNNC_FRONTEND_DSL_AST_H

#include "cnnc/Dialect/CNN/IR/CNNDialect.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/SMLoc.h"

#include <memory>
#include <string>
#include <vector>

namespace cnnc::dsl {

/// An expression of block parameters and numbers.
struct Expr {
  enum class Kind { Number, Name, Negate, Not, Binary };
  Kind kind = Kind::Number;
  double number = 0;
  bool isInteger = false;
  std::string name; // Name; the operator of Binary ("+", "&&", ...)
  std::unique_ptr<Expr> lhs, rhs;
  llvm::SMRange range;
};

struct Argument {
  std::string name; // Empty for a positional argument.
  llvm::SMRange nameRange;
  std::unique_ptr<Expr> value;
};

struct Statement;
using Body = std::vector<std::unique_ptr<Statement>>;

struct Statement {
  enum class Kind { Layer, Residual, Concat, If, Repeat };
  Kind kind = Kind::Layer;
  /// Layer: the layer's or block's name.
  std::string name;
  llvm::SMRange nameRange;
  std::vector<Argument> arguments;
  llvm::SMRange argumentsRange;
  /// Residual: the body, then the shortcut (empty: the identity).
  /// If: then, else. Repeat: the body.
  Body body, other;
  /// Concat: the branches.
  std::vector<Body> branches;
  /// If's condition, Repeat's count.
  std::unique_ptr<Expr> condition;
};

struct Parameter {
  std::string name;
  llvm::SMRange range;
  std::unique_ptr<Expr> defaultValue; // Null: required.
};

struct BlockDefinition {
  std::string name;
  llvm::SMRange nameRange;
  std::vector<Parameter> parameters;
  Body body;
};

struct ModelSource {
  std::string name;
  llvm::SMRange nameRange;
  std::string inputName = "input";
  std::vector<int64_t> inputShape;
  llvm::SMRange inputRange;
  cnn::LossKind loss = cnn::LossKind::CrossEntropy;
  double labelSmoothing = 0.0;
  std::string init = "default";
  llvm::SMRange initRange;
  int64_t seed = 0;
  llvm::StringMap<BlockDefinition> blocks;
  Body layers;
};

} // namespace cnnc::dsl

#endif // CNNC_FRONTEND_DSL_AST_H
