//===- Lexer.h - Tokens of the .cnn language --------------------*- C++ -*-===//

#ifndef CNNC_FRONTEND_DSL_LEXER_H
#define CNNC_FRONTEND_DSL_LEXER_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/SMLoc.h"

namespace cnnc::dsl {

enum class Tok {
  Identifier,
  Integer,
  Float,
  LParen,
  RParen,
  LBrace,
  RBrace,
  LBracket,
  RBracket,
  Comma,
  Colon,
  Equal,
  Plus,
  Minus,
  Star,
  Slash,
  Less,
  LessEqual,
  Greater,
  GreaterEqual,
  EqualEqual,
  NotEqual,
  AndAnd,
  OrOr,
  Bang,
  End,
  Invalid,
};

struct Token {
  Tok kind = Tok::Invalid;
  llvm::StringRef text;
  llvm::SMLoc loc() const { return llvm::SMLoc::getFromPointer(text.data()); }
  llvm::SMRange range() const {
    return {loc(), llvm::SMLoc::getFromPointer(text.data() + text.size())};
  }
  bool is(Tok k) const { return kind == k; }
  bool isKeyword(llvm::StringRef word) const {
    return kind == Tok::Identifier && text == word;
  }
};

/// Splits a buffer into tokens; `#` starts a comment to the end of the line,
/// whitespace (newlines included) separates tokens.
class Lexer {
public:
  explicit Lexer(llvm::StringRef buffer) : buffer(buffer), cursor(0) {}
  Token next();

private:
  llvm::StringRef buffer;
  size_t cursor;
};

/// How a token kind is written, for messages.
llvm::StringRef spelling(Tok kind);

} // namespace cnnc::dsl

#endif // CNNC_FRONTEND_DSL_LEXER_H
