//===- Parser.h - From .cnn text to the AST ---------------------*- C++ -*-===//

#ifndef CNNC_FRONTEND_DSL_PARSER_H
#define CNNC_FRONTEND_DSL_PARSER_H

#include "AST.h"

#include "llvm/Support/SourceMgr.h"

#include <optional>

namespace cnnc::dsl {

/// Parses the main file of `sources`; prints the first syntax error through
/// `sources` and returns nothing on one.
std::optional<ModelSource> parseModel(llvm::SourceMgr &sources);

} // namespace cnnc::dsl

#endif // CNNC_FRONTEND_DSL_PARSER_H
