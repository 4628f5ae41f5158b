//===- InitAll.h - Register cnnc's dialects and passes ----------*- C++ -*-===//
//
// The one place that tools (cnnc, cnnc-opt, tests) call to make cnnc's
// dialects and passes, and the upstream ones its pipeline uses, available.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_INITALL_H
#define CNNC_INITALL_H

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace cnnc {

/// Adds cnnc's dialects and the upstream dialects (with their interface
/// extensions) that the compilation pipeline produces to `registry`.
void registerAllDialects(mlir::DialectRegistry &registry);

/// Registers cnnc's passes and the upstream passes the pipeline runs, so that
/// they are available by flag in cnnc-opt.
void registerAllPasses();

} // namespace cnnc

#endif // CNNC_INITALL_H
