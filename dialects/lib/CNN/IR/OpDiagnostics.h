//===- OpDiagnostics.h - How cnn ops report what is wrong -------*- C++ -*-===//
//
// Shared by the files that verify and infer the types of cnn ops: a
// diagnoser that words inference errors like verifier errors, and the
// formatting of shapes and numbers in messages. Private to the dialect.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_DIALECT_CNN_IR_OPDIAGNOSTICS_H
#define CNNC_DIALECT_CNN_IR_OPDIAGNOSTICS_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdio>
#include <optional>
#include <string>

namespace cnnc::cnn::detail {

using namespace mlir;

/// Emits an error at the location given to `inferReturnTypes` (there is none
/// when a builder infers without one), worded like an op verifier's.
class Diagnoser {
public:
  Diagnoser(std::optional<Location> loc, StringRef opName)
      : loc(loc), opName(opName) {}

  template <typename... Args> LogicalResult operator()(Args &&...args) const {
    return emitOptionalError(loc, "'", opName, "' op ",
                             std::forward<Args>(args)...);
  }

private:
  std::optional<Location> loc;
  StringRef opName;
};

/// Verifies an op by running its result-type inference with the op's
/// location, so that an op that cannot be typed says why.
template <typename OpTy> LogicalResult verifyByInference(OpTy op) {
  SmallVector<Type> types;
  return OpTy::inferReturnTypes(op.getContext(), op.getLoc(),
                                typename OpTy::Adaptor(op), types);
}

inline RankedTensorType tensorType(Value value) {
  return cast<RankedTensorType>(value.getType());
}

inline std::string shapeString(ArrayRef<int64_t> shape) {
  std::string result;
  llvm::raw_string_ostream os(result);
  os << "[";
  llvm::interleaveComma(shape, os);
  os << "]";
  return result;
}

/// A floating-point attribute value as a user wrote it (6, 0.5, 1e-05).
inline std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof(text), "%g", value);
  return text;
}

/// Checks that the window attributes have one entry per spatial dimension

inline LogicalResult verifySameElementType(const Diagnoser &fail,
                                           StringRef name, Type type,
                                           Type expected) {
  Type element = getElementTypeOrSelf(type);
  if (element == expected)
    return success();
  return fail("expected '", name, "' to have element type ", expected, ", got ",
              type);
}

} // namespace cnnc::cnn::detail

#endif // CNNC_DIALECT_CNN_IR_OPDIAGNOSTICS_H
