//===- ConstantElements.cpp - The value of a constant tensor --------------===//

#include "cnnc/Dialect/CNN/IR/ConstantElements.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/StringExtras.h"

#include <cstring>

using namespace mlir;

namespace cnnc::cnn {

ElementsAttr constantElements(ShapedType type, llvm::ArrayRef<char> bytes,
                              llvm::StringRef name) {
  int64_t count = type.getNumElements();
  size_t size = count > 0 ? bytes.size() / count : 0;
  bool splat = count > 0 && size > 0;
  for (int64_t i = 1; i < count && splat; ++i)
    splat = std::memcmp(bytes.data(), bytes.data() + i * size, size) == 0;
  if (splat || count <= kMaxLiteralElements)
    return DenseElementsAttr::getFromRawBuffer(
        type, splat ? bytes.take_front(size) : bytes);
  std::string key = name.empty() ? "constant" : name.str();
  // Resource names are identifiers in the printed IR.
  for (char &c : key)
    if (!llvm::isAlnum(c) && c != '_' && c != '.')
      c = '_';
  AsmResourceBlob blob = HeapAsmResourceBlob::allocateAndCopyWithAlign(
      bytes, alignof(uint64_t));
  return DenseResourceElementsAttr::get(type, key, std::move(blob));
}

ElementsAttr constantElements(ShapedType type, llvm::ArrayRef<float> values,
                              llvm::StringRef name) {
  return constantElements(
      type,
      llvm::ArrayRef<char>(reinterpret_cast<const char *>(values.data()),
                           values.size() * sizeof(float)),
      name);
}

} // namespace cnnc::cnn
