//===- ConstantElements.h - The value of a constant tensor ------*- C++ -*-===//
//
// The one rule for how a constant's elements are held, used wherever
// constants are made (the ONNX importer, the .cnn elaborator, the folders of
// the graph passes, the kernels' repacked weights): a dense literal when it
// is a splat or small, else a dense resource blob, so that weights are
// never printed or walked element by element.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_DIALECT_CNN_IR_CONSTANTELEMENTS_H
#define CNNC_DIALECT_CNN_IR_CONSTANTELEMENTS_H

#include "mlir/IR/BuiltinAttributeInterfaces.h"
#include "mlir/IR/BuiltinTypes.h"

namespace cnnc::cnn {

/// Constants of at most this many elements are dense literals.
inline constexpr int64_t kMaxLiteralElements = 8;

/// The value of a constant of `type` (not i1) whose elements are `bytes`:
/// dense and row-major, each the element type's size. A literal when the
/// elements are all equal or at most kMaxLiteralElements, else a resource
/// named after `name` (made an identifier: other characters become '_').
mlir::ElementsAttr constantElements(mlir::ShapedType type,
                                    llvm::ArrayRef<char> bytes,
                                    llvm::StringRef name);

/// The same for float32 elements.
mlir::ElementsAttr constantElements(mlir::ShapedType type,
                                    llvm::ArrayRef<float> values,
                                    llvm::StringRef name);

} // namespace cnnc::cnn

#endif // CNNC_DIALECT_CNN_IR_CONSTANTELEMENTS_H
