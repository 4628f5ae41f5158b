//===- cnnc-opt.cpp - cnnc's mlir-opt -------------------------------------===//
//
// Runs cnnc's passes, and the upstream ones its pipeline uses, on an .mlir
// file. The driver of the lit tests.
//
//===----------------------------------------------------------------------===//

#include "cnnc/InitAll.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  cnnc::registerAllDialects(registry);
  cnnc::registerAllPasses();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "cnnc optimizer driver\n", registry));
}
