//===- ElementTypes.h - MLIR element types and cnnc's numbering -*- C++ -*-===//
//
// The one mapping between MLIR's element types and cnnc_element_type (ONNX's
// TensorProto.DataType numbering, declared in cnnc/runtime.h), for the ONNX
// importer and exporter, the compiled model's interface and its header.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_DIALECT_CNN_IR_ELEMENTTYPES_H
#define CNNC_DIALECT_CNN_IR_ELEMENTTYPES_H

#include "cnnc/runtime.h"

#include "mlir/IR/Types.h"

namespace cnnc {

/// The element type `type` is: f32 float, signless and signed integers as
/// signed ones, unsigned as unsigned, i1 bool. CNNC_ELEMENT_UNDEFINED for a
/// type the numbering has none for.
cnnc_element_type elementTypeOf(mlir::Type type);

/// The MLIR type cnnc holds elements of `type` as: integers signless, except
/// uint8, which is `ui8` (quantized tensors: the sign is their saturation
/// range; the lowering to linalg makes it signless); null for a type cnnc
/// does not compute with (string, complex, undefined).
mlir::Type mlirTypeOf(cnnc_element_type type, mlir::MLIRContext *context);

} // namespace cnnc

#endif // CNNC_DIALECT_CNN_IR_ELEMENTTYPES_H
