//===- Lexer.cpp - Tokens of the .cnn language ----------------------------===//

#include "Lexer.h"

#include "llvm/ADT/StringExtras.h"

namespace cnnc::dsl {

Token Lexer::next() {
  // Whitespace and comments.
  while (cursor < buffer.size()) {
    char c = buffer[cursor];
    if (c == '#') {
      while (cursor < buffer.size() && buffer[cursor] != '\n')
        ++cursor;
    } else if (llvm::isSpace(c)) {
      ++cursor;
    } else {
      break;
    }
  }
  size_t start = cursor;
  auto make = [&](Tok kind, size_t length) {
    cursor = start + length;
    return Token{kind, buffer.substr(start, length)};
  };
  if (cursor >= buffer.size())
    return Token{Tok::End, buffer.substr(buffer.size(), 0)};
  char c = buffer[cursor];
  char d = cursor + 1 < buffer.size() ? buffer[cursor + 1] : '\0';
  if (llvm::isAlpha(c) || c == '_') {
    size_t end = cursor;
    while (end < buffer.size() &&
           (llvm::isAlnum(buffer[end]) || buffer[end] == '_'))
      ++end;
    return make(Tok::Identifier, end - start);
  }
  if (llvm::isDigit(c) || (c == '.' && llvm::isDigit(d))) {
    size_t end = cursor;
    bool isFloat = false;
    while (end < buffer.size() && llvm::isDigit(buffer[end]))
      ++end;
    if (end < buffer.size() && buffer[end] == '.') {
      isFloat = true;
      ++end;
      while (end < buffer.size() && llvm::isDigit(buffer[end]))
        ++end;
    }
    if (end < buffer.size() && (buffer[end] == 'e' || buffer[end] == 'E')) {
      size_t exponent = end + 1;
      if (exponent < buffer.size() &&
          (buffer[exponent] == '+' || buffer[exponent] == '-'))
        ++exponent;
      if (exponent < buffer.size() && llvm::isDigit(buffer[exponent])) {
        isFloat = true;
        end = exponent;
        while (end < buffer.size() && llvm::isDigit(buffer[end]))
          ++end;
      }
    }
    return make(isFloat ? Tok::Float : Tok::Integer, end - start);
  }
  switch (c) {
  case '(':
    return make(Tok::LParen, 1);
  case ')':
    return make(Tok::RParen, 1);
  case '{':
    return make(Tok::LBrace, 1);
  case '}':
    return make(Tok::RBrace, 1);
  case '[':
    return make(Tok::LBracket, 1);
  case ']':
    return make(Tok::RBracket, 1);
  case ',':
    return make(Tok::Comma, 1);
  case ':':
    return make(Tok::Colon, 1);
  case '+':
    return make(Tok::Plus, 1);
  case '-':
    return make(Tok::Minus, 1);
  case '*':
    return make(Tok::Star, 1);
  case '/':
    return make(Tok::Slash, 1);
  case '=':
    return d == '=' ? make(Tok::EqualEqual, 2) : make(Tok::Equal, 1);
  case '<':
    return d == '=' ? make(Tok::LessEqual, 2) : make(Tok::Less, 1);
  case '>':
    return d == '=' ? make(Tok::GreaterEqual, 2) : make(Tok::Greater, 1);
  case '!':
    return d == '=' ? make(Tok::NotEqual, 2) : make(Tok::Bang, 1);
  case '&':
    if (d == '&')
      return make(Tok::AndAnd, 2);
    break;
  case '|':
    if (d == '|')
      return make(Tok::OrOr, 2);
    break;
  default:
    break;
  }
  return make(Tok::Invalid, 1);
}

llvm::StringRef spelling(Tok kind) {
  switch (kind) {
  case Tok::Identifier:
    return "a name";
  case Tok::Integer:
    return "an integer";
  case Tok::Float:
    return "a number";
  case Tok::LParen:
    return "'('";
  case Tok::RParen:
    return "')'";
  case Tok::LBrace:
    return "'{'";
  case Tok::RBrace:
    return "'}'";
  case Tok::LBracket:
    return "'['";
  case Tok::RBracket:
    return "']'";
  case Tok::Comma:
    return "','";
  case Tok::Colon:
    return "':'";
  case Tok::Equal:
    return "'='";
  case Tok::Plus:
    return "'+'";
  case Tok::Minus:
    return "'-'";
  case Tok::Star:
    return "'*'";
  case Tok::Slash:
    return "'/'";
  case Tok::Less:
    return "'<'";
  case Tok::LessEqual:
    return "'<='";
  case Tok::Greater:
    return "'>'";
  case Tok::GreaterEqual:
    return "'>='";
  case Tok::EqualEqual:
    return "'=='";
  case Tok::NotEqual:
    return "'!='";
  case Tok::AndAnd:
    return "'&&'";
  case Tok::OrOr:
    return "'||'";
  case Tok::Bang:
    return "'!'";
  case Tok::End:
    return "the end of the file";
  case Tok::Invalid:
    return "an invalid character";
  }
  return "?";
}

} // namespace cnnc::dsl
