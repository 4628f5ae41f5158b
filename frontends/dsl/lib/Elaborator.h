//===- Elaborator.h - From the AST to the cnn dialect -----------*- C++ -*-===//
//
// The elaborator's state, shared by Elaborator.cpp (expressions, statements,
// blocks, the model function) and Layers.cpp (each layer's checks, its
// parameters and its op). Private to the DSL frontend.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_FRONTEND_DSL_ELABORATOR_H
#define CNNC_FRONTEND_DSL_ELABORATOR_H

#include "cnnc/Frontend/DSL/DSL.h"

#include "AST.h"

#include "cnnc/Dialect/CNN/IR/CNNOps.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/SourceMgr.h"

#include <cstdio>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace cnnc::dsl::detail {

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
inline constexpr int64_t kMaxStatements = 100000;
inline constexpr int64_t kMaxParameters = int64_t(1) << 28;
inline constexpr int64_t kMaxElements = int64_t(1) << 34;

inline std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}

inline std::string shapeText(llvm::ArrayRef<int64_t> shape) {
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

} // namespace cnnc::dsl::detail

#endif // CNNC_FRONTEND_DSL_ELABORATOR_H
