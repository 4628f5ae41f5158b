//===- Ops.h - The table of op converters -----------------------*- C++ -*-===//
//
// Each file of Ops/ converts one family of ONNX operators and adds its
// converters to the table. An op type missing from the table is unsupported.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_FRONTEND_ONNX_OPS_OPS_H
#define CNNC_FRONTEND_ONNX_OPS_OPS_H

#include "../NodeImporter.h"

#include "llvm/ADT/StringMap.h"

namespace cnnc::onnx {

using ConverterTable = llvm::StringMap<ConvertFn>;

/// Every converter, by ONNX op type (default domain).
const ConverterTable &converters();

void addActivationOps(ConverterTable &table);
void addConvolutionOps(ConverterTable &table);
void addElementwiseOps(ConverterTable &table);
void addMatmulOps(ConverterTable &table);
void addNormalizationOps(ConverterTable &table);
void addPassThroughOps(ConverterTable &table);
void addPoolingOps(ConverterTable &table);
void addQuantizationOps(ConverterTable &table);
void addReductionOps(ConverterTable &table);
void addResizeOps(ConverterTable &table);
void addShapeOps(ConverterTable &table);
void addTensorOps(ConverterTable &table);

} // namespace cnnc::onnx

#endif // CNNC_FRONTEND_ONNX_OPS_OPS_H
