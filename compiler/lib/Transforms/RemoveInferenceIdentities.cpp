//===- RemoveInferenceIdentities.cpp - Dropout is the identity ------------===//

#include "cnnc/Transforms/Passes.h"

#include "cnnc/Dialect/CNN/IR/CNNOps.h"

namespace cnnc {
#define GEN_PASS_DEF_REMOVEINFERENCEIDENTITIES
#include "cnnc/Transforms/Passes.h.inc"
} // namespace cnnc

using namespace mlir;

namespace {

struct RemoveInferenceIdentitiesPass
    : cnnc::impl::RemoveInferenceIdentitiesBase<
          RemoveInferenceIdentitiesPass> {
  void runOnOperation() override {
    getOperation().walk([](cnnc::cnn::DropoutOp dropout) {
      dropout.replaceAllUsesWith(dropout.getInput());
      dropout.erase();
    });
  }
};

} // namespace
