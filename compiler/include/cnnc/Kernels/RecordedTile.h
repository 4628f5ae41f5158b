//===- RecordedTile.h - A register tile as a cnnk op records it -*- C++ -*-===//
//
// The one encoding of a ConvolutionTile on a cnnk op's `tile` attribute,
// [rows, vectors, lanes]: cnnc-select-kernels writes it,
// cnnc-register-tile-convolutions builds it, `cnnc compile --report`
// prints it.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_KERNELS_RECORDEDTILE_H
#define CNNC_KERNELS_RECORDEDTILE_H

#include "cnnc/Kernels/ConvolutionTiles.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Operation.h"

#include <optional>

namespace cnnc {

/// `tile` as the attribute; null for none.
mlir::DenseI64ArrayAttr tileAttr(mlir::MLIRContext *ctx,
                                 std::optional<ConvolutionTile> tile);

/// The tile recorded on `kernel` (a cnnk.conv2d or cnnk.matmul), masked when
/// its lanes exceed the output channels; nothing when none is recorded.
std::optional<ConvolutionTile> recordedTile(mlir::Operation *kernel);

} // namespace cnnc

#endif // CNNC_KERNELS_RECORDEDTILE_H
