//===- Differentiate.cpp - A scalar function's value and gradients --------===//

#include "cnnc/Training/Passes.h"

#include "Autodiff.h"

namespace cnnc {
#define GEN_PASS_DEF_DIFFERENTIATE
#include "cnnc/Training/Passes.h.inc"
} // namespace cnnc

using namespace mlir;

namespace {

struct DifferentiatePass : cnnc::impl::DifferentiateBase<DifferentiatePass> {
  void runOnOperation() override {
    func::FuncOp function = getOperation();
    if (function.isExternal())
      return;
    auto type = function.getFunctionType();
    auto loss = type.getNumResults() == 1
                    ? dyn_cast<RankedTensorType>(type.getResult(0))
                    : RankedTensorType();
    if (!loss || loss.getRank() != 0 ||
        !isa<FloatType>(loss.getElementType())) {
      function.emitError() << "cnnc-differentiate expects a function with one "
                              "result, a 0-d float tensor; got "
                           << type;
      return signalPassFailure();
    }
    Block &body = function.getBody().front();
    auto ret = cast<func::ReturnOp>(body.getTerminator());
    SmallVector<Value> wrt;
    for (BlockArgument argument : body.getArguments())
      if (isa<FloatType>(
              cast<RankedTensorType>(argument.getType()).getElementType()))
        wrt.push_back(argument);
    SmallVector<Operation *> forward;
    for (Operation &op : body.without_terminator())
      forward.push_back(&op);
    OpBuilder builder(ret);
    FailureOr<SmallVector<Value>> gradients =
        cnnc::training::differentiate(builder, forward, ret.getOperand(0), wrt);
    if (failed(gradients))
      return signalPassFailure();
    SmallVector<Value> results{ret.getOperand(0)};
    results.append(gradients->begin(), gradients->end());
    func::ReturnOp::create(builder, ret.getLoc(), results);
    ret->erase();
    SmallVector<Type> resultTypes;
    for (Value v : results)
      resultTypes.push_back(v.getType());
    function.setFunctionType(FunctionType::get(
        function.getContext(), function.getArgumentTypes(), resultTypes));
    function.removeResAttrsAttr();
  }
};

} // namespace
