//===- ElementTypes.cpp - MLIR element types and cnnc's numbering ---------===//

#include "cnnc/Dialect/CNN/IR/ElementTypes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;

namespace cnnc {

cnnc_element_type elementTypeOf(Type type) {
  if (type.isF32())
    return CNNC_ELEMENT_FLOAT;
  if (type.isF16())
    return CNNC_ELEMENT_FLOAT16;
  if (type.isBF16())
    return CNNC_ELEMENT_BFLOAT16;
  if (type.isF64())
    return CNNC_ELEMENT_DOUBLE;
  auto integer = dyn_cast<IntegerType>(type);
  if (!integer)
    return CNNC_ELEMENT_UNDEFINED;
  bool isUnsigned = integer.isUnsigned();
  switch (integer.getWidth()) {
  case 1:
    return CNNC_ELEMENT_BOOL;
  case 8:
    return isUnsigned ? CNNC_ELEMENT_UINT8 : CNNC_ELEMENT_INT8;
  case 16:
    return isUnsigned ? CNNC_ELEMENT_UINT16 : CNNC_ELEMENT_INT16;
  case 32:
    return isUnsigned ? CNNC_ELEMENT_UINT32 : CNNC_ELEMENT_INT32;
  case 64:
    return isUnsigned ? CNNC_ELEMENT_UINT64 : CNNC_ELEMENT_INT64;
  default:
    return CNNC_ELEMENT_UNDEFINED;
  }
}

Type mlirTypeOf(cnnc_element_type type, MLIRContext *context) {
  Builder b(context);
  switch (type) {
  case CNNC_ELEMENT_FLOAT:
    return b.getF32Type();
  case CNNC_ELEMENT_FLOAT16:
    return b.getF16Type();
  case CNNC_ELEMENT_BFLOAT16:
    return b.getBF16Type();
  case CNNC_ELEMENT_DOUBLE:
    return b.getF64Type();
  case CNNC_ELEMENT_BOOL:
    return b.getI1Type();
  case CNNC_ELEMENT_UINT8:
    return b.getIntegerType(8, /*isSigned=*/false);
  case CNNC_ELEMENT_INT8:
    return b.getI8Type();
  case CNNC_ELEMENT_UINT16:
  case CNNC_ELEMENT_INT16:
    return b.getI16Type();
  case CNNC_ELEMENT_UINT32:
  case CNNC_ELEMENT_INT32:
    return b.getI32Type();
  case CNNC_ELEMENT_UINT64:
  case CNNC_ELEMENT_INT64:
    return b.getI64Type();
  case CNNC_ELEMENT_UNDEFINED:
  case CNNC_ELEMENT_STRING:
  case CNNC_ELEMENT_COMPLEX64:
  case CNNC_ELEMENT_COMPLEX128:
    return Type();
  }
  return Type();
}

} // namespace cnnc
