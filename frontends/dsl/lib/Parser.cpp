//===- Parser.cpp - From .cnn text to the AST -----------------------------===//
//
//   file      := item*
//   item      := 'model' NAME | 'input' NAME ':' 'f32' '[' INT (',' INT)* ']'
//              | 'init' NAME | 'seed' INT | 'loss' NAME ('(' arguments ')')?
//              | 'block' NAME '(' (parameter (',' parameter)*)? ')' '{' body
//              '}' | statement
//   statement := 'residual' '{' body '}' ('shortcut' '{' body '}')?
//              | 'concat' '{' ('branch' '{' body '}')+ '}'
//              | 'if' expr '{' body '}' ('else' '{' body '}')?
//              | 'repeat' expr '{' body '}'
//              | NAME ('(' arguments? ')')?
//   arguments := argument (',' argument)*;  argument := (NAME '=')? expr
//   parameter := NAME ('=' expr)?
//   expr      := the usual precedence of || && comparisons + - * / and unary
//                - !, over numbers, names and parentheses
//
//===----------------------------------------------------------------------===//

#include "Parser.h"

#include "Lexer.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"

namespace cnnc::dsl {

namespace {

class Parser {
public:
  explicit Parser(llvm::SourceMgr &sources)
      : sources(sources),
        lexer(sources.getMemoryBuffer(sources.getMainFileID())->getBuffer()) {
    current = lexer.next();
    lookahead = lexer.next();
  }

  std::optional<ModelSource> parse();

private:
  // Tokens.
  void advance() {
    current = lookahead;
    lookahead = lexer.next();
    // A name is quoted into messages and the IR: bounded.
    if (current.is(Tok::Identifier) && current.text.size() > kMaxIdentifier)
      error(current.range(),
            "a name of " + llvm::Twine(current.text.size()) +
                " characters ('" + current.text.take_front(32) +
                "...'): names take at most " + llvm::Twine(kMaxIdentifier));
  }
  static constexpr size_t kMaxIdentifier = 256;
  bool consumeIf(Tok kind) {
    if (!current.is(kind))
      return false;
    advance();
    return true;
  }
  bool expect(Tok kind, llvm::StringRef context) {
    if (consumeIf(kind))
      return true;
    return error(current.range(), "expected " + spelling(kind).str() + " " +
                                      context.str() + ", found " +
                                      describe(current));
  }
  std::string describe(const Token &token) {
    if (token.is(Tok::End) || token.is(Tok::Invalid))
      return spelling(token.kind).str();
    if (token.text.size() > 64)
      return "'" + token.text.take_front(32).str() + "...'";
    return "'" + token.text.str() + "'";
  }
  bool error(llvm::SMRange range, const llvm::Twine &message) {
    if (!failed) {
      llvm::SMDiagnostic diagnostic = sources.GetMessage(
          range.Start, llvm::SourceMgr::DK_Error, message, {range});
      // A line too long to show (a generated file) is left out.
      if (diagnostic.getLineContents().size() > 512)
        diagnostic = llvm::SMDiagnostic(
            sources, diagnostic.getLoc(), diagnostic.getFilename(),
            diagnostic.getLineNo(), diagnostic.getColumnNo(),
            diagnostic.getKind(), diagnostic.getMessage(), /*LineStr=*/"",
            /*Ranges=*/{});
      sources.PrintMessage(llvm::errs(), diagnostic);
    }
    failed = true;
    return false;
  }

  bool parseItem(ModelSource &model);
  bool parseBody(Body &body, llvm::StringRef context);
  std::unique_ptr<Statement> parseStatement();
  bool parseArguments(std::vector<Argument> &arguments);
  std::unique_ptr<Expr> parseExpr() { return parseBinary(0); }
  std::unique_ptr<Expr> parseBinary(int level);
  std::unique_ptr<Expr> parseUnary();
  bool parseInteger(int64_t &value, llvm::StringRef what);

  /// Counts the nesting of parentheses, unary signs and blocks while one
  /// is parsed; past kMaxNesting it is an error, not a stack overflow.
  struct Nesting {
    Parser &parser;
    bool ok;
    Nesting(Parser &parser, llvm::SMRange range) : parser(parser) {
      ok = ++parser.nesting <= kMaxNesting;
      if (!ok)
        parser.error(range, "nested more than " +
                                llvm::Twine(kMaxNesting) +
                                " deep (parentheses, signs and blocks)");
    }
    ~Nesting() { --parser.nesting; }
  };
  static constexpr int kMaxNesting = 200;

  llvm::SourceMgr &sources;
  Lexer lexer;
  Token current, lookahead;
  bool failed = false;
  int nesting = 0;
  llvm::StringSet<> seenItems;
};

/// Words that start a statement of their own.
bool isReserved(llvm::StringRef word) {
  return llvm::is_contained({"model", "input", "init", "seed", "loss", "block",
                             "residual", "shortcut", "concat", "branch", "if",
                             "else", "repeat"},
                            word);
}

std::optional<ModelSource> Parser::parse() {
  ModelSource model;
  while (!current.is(Tok::End)) {
    if (!parseItem(model) || failed)
      return std::nullopt;
  }
  if (failed)
    return std::nullopt;
  if (model.inputShape.empty()) {
    error(current.range(), "the model has no 'input' statement (for example "
                           "'input image: f32[1, 28, 28]')");
    return std::nullopt;
  }
  if (model.layers.empty()) {
    error(current.range(), "the model has no layers");
    return std::nullopt;
  }
  return model;
}

bool Parser::parseInteger(int64_t &value, llvm::StringRef what) {
  if (!current.is(Tok::Integer) || current.text.getAsInteger(10, value))
    return error(current.range(),
                 "expected " + what.str() + ", found " + describe(current));
  advance();
  return true;
}

bool Parser::parseItem(ModelSource &model) {
  Token keyword = current;
  auto once = [&]() {
    if (seenItems.insert(keyword.text).second)
      return true;
    return error(keyword.range(), "a second '" + keyword.text + "' statement");
  };
  if (keyword.isKeyword("model")) {
    advance();
    if (!once())
      return false;
    if (!current.is(Tok::Identifier))
      return error(current.range(), "expected the model's name after "
                                    "'model', found " +
                                        describe(current));
    model.name = current.text.str();
    model.nameRange = current.range();
    advance();
    return true;
  }
  if (keyword.isKeyword("input")) {
    advance();
    if (!once())
      return false;
    if (!current.is(Tok::Identifier))
      return error(current.range(), "expected the input's name after "
                                    "'input', found " +
                                        describe(current));
    model.inputName = current.text.str();
    llvm::SMLoc start = current.loc();
    advance();
    if (!expect(Tok::Colon, "after the input's name"))
      return false;
    if (!current.isKeyword("f32"))
      return error(current.range(),
                   "expected the element type f32, found " + describe(current));
    advance();
    if (!expect(Tok::LBracket, "before the input's shape"))
      return false;
    do {
      int64_t dim;
      llvm::SMRange range = current.range();
      if (!parseInteger(dim, "a dimension size"))
        return false;
      if (dim <= 0 || dim > (int64_t(1) << 24))
        return error(range, "expected a dimension size from 1 to 2^24, got " +
                                std::to_string(dim));
      model.inputShape.push_back(dim);
    } while (consumeIf(Tok::Comma));
    model.inputRange = {start, current.range().End};
    if (!expect(Tok::RBracket, "after the input's shape"))
      return false;
    if (model.inputShape.size() != 3)
      return error(model.inputRange,
                   "expected the shape of one image, [channels, height, "
                   "width] (the batch is a compile option), got " +
                       std::to_string(model.inputShape.size()) + " dimensions");
    // One image of at most 2^28 values (1 GiB of f32): each dimension's
    // bound alone lets their product reach 2^72.
    int64_t values = 1;
    for (int64_t dim : model.inputShape)
      values = std::min<int64_t>(values * dim, int64_t(1) << 40);
    if (values > (int64_t(1) << 28))
      return error(model.inputRange,
                   "expected an image of at most 2^28 values (1 GiB), got " +
                       llvm::join(llvm::map_range(model.inputShape,
                                                  [](int64_t d) {
                                                    return std::to_string(d);
                                                  }),
                                  " x "));
    return true;
  }
  if (keyword.isKeyword("init")) {
    advance();
    if (!once())
      return false;
    if (!current.is(Tok::Identifier) ||
        !llvm::is_contained({"default", "kaiming", "xavier"}, current.text))
      return error(current.range(), "expected default, kaiming or xavier "
                                    "after 'init', found " +
                                        describe(current));
    model.init = current.text.str();
    model.initRange = current.range();
    advance();
    return true;
  }
  if (keyword.isKeyword("seed")) {
    advance();
    return once() && parseInteger(model.seed, "the seed (an integer)");
  }
  if (keyword.isKeyword("loss")) {
    advance();
    if (!once())
      return false;
    std::optional<cnn::LossKind> loss =
        current.is(Tok::Identifier) ? cnn::symbolizeLossKind(current.text)
                                    : std::nullopt;
    if (!loss)
      return error(current.range(), "expected cross_entropy or mse after "
                                    "'loss', found " +
                                        describe(current));
    model.loss = *loss;
    advance();
    if (current.is(Tok::LParen)) {
      std::vector<Argument> arguments;
      if (!parseArguments(arguments))
        return false;
      for (Argument &argument : arguments) {
        if (argument.name != "label_smoothing" ||
            argument.value->kind != Expr::Kind::Number)
          return error(argument.value->range,
                       "the loss takes one argument, label_smoothing=NUMBER");
        model.labelSmoothing = argument.value->number;
        if (!(model.labelSmoothing >= 0 && model.labelSmoothing <= 1))
          return error(argument.value->range,
                       "expected label_smoothing in [0, 1]");
      }
    }
    return true;
  }
  if (keyword.isKeyword("block")) {
    advance();
    if (!current.is(Tok::Identifier) || isReserved(current.text))
      return error(current.range(), "expected the block's name after "
                                    "'block', found " +
                                        describe(current));
    BlockDefinition block;
    block.name = current.text.str();
    block.nameRange = current.range();
    advance();
    if (model.blocks.count(block.name))
      return error(block.nameRange,
                   "block '" + block.name + "' is defined twice");
    if (!expect(Tok::LParen, "after the block's name"))
      return false;
    if (!current.is(Tok::RParen)) {
      do {
        if (!current.is(Tok::Identifier))
          return error(current.range(),
                       "expected a parameter name, found " + describe(current));
        Parameter parameter;
        parameter.name = current.text.str();
        parameter.range = current.range();
        advance();
        for (const Parameter &other : block.parameters)
          if (other.name == parameter.name)
            return error(parameter.range, "parameter '" + parameter.name +
                                              "' is declared twice");
        if (consumeIf(Tok::Equal)) {
          parameter.defaultValue = parseExpr();
          if (!parameter.defaultValue)
            return false;
        }
        block.parameters.push_back(std::move(parameter));
      } while (consumeIf(Tok::Comma));
    }
    if (!expect(Tok::RParen, "after the block's parameters") ||
        !parseBody(block.body, "the block"))
      return false;
    std::string name = block.name;
    model.blocks[name] = std::move(block);
    return true;
  }
  std::unique_ptr<Statement> statement = parseStatement();
  if (!statement)
    return false;
  model.layers.push_back(std::move(statement));
  return true;
}

bool Parser::parseBody(Body &body, llvm::StringRef context) {
  Nesting nested(*this, current.range());
  if (!nested.ok || !expect(Tok::LBrace, ("to open " + context).str()))
    return false;
  while (!current.is(Tok::RBrace)) {
    if (current.is(Tok::End))
      return error(current.range(), "expected '}' to close " + context +
                                        ", found the end of the file");
    std::unique_ptr<Statement> statement = parseStatement();
    if (!statement)
      return false;
    body.push_back(std::move(statement));
  }
  advance();
  return true;
}

std::unique_ptr<Statement> Parser::parseStatement() {
  auto statement = std::make_unique<Statement>();
  statement->name = current.text.str();
  statement->nameRange = current.range();
  if (current.isKeyword("residual")) {
    advance();
    statement->kind = Statement::Kind::Residual;
    if (!parseBody(statement->body, "the residual body"))
      return nullptr;
    if (current.isKeyword("shortcut")) {
      advance();
      if (!parseBody(statement->other, "the shortcut"))
        return nullptr;
    }
    return statement;
  }
  if (current.isKeyword("concat")) {
    advance();
    statement->kind = Statement::Kind::Concat;
    if (!expect(Tok::LBrace, "to open the concat's branches"))
      return nullptr;
    while (current.isKeyword("branch")) {
      advance();
      Body branch;
      if (!parseBody(branch, "the branch"))
        return nullptr;
      statement->branches.push_back(std::move(branch));
    }
    if (statement->branches.empty()) {
      error(current.range(), "expected 'branch { ... }' in the concat, found " +
                                 describe(current));
      return nullptr;
    }
    if (!expect(Tok::RBrace, "to close the concat (only branches go in it)"))
      return nullptr;
    return statement;
  }
  if (current.isKeyword("if") || current.isKeyword("repeat")) {
    bool isIf = current.isKeyword("if");
    advance();
    statement->kind = isIf ? Statement::Kind::If : Statement::Kind::Repeat;
    statement->condition = parseExpr();
    if (!statement->condition ||
        !parseBody(statement->body, isIf ? "the if" : "the repeat"))
      return nullptr;
    if (isIf && current.isKeyword("else")) {
      advance();
      if (!parseBody(statement->other, "the else"))
        return nullptr;
    }
    return statement;
  }
  if (!current.is(Tok::Identifier)) {
    error(current.range(), "expected a layer, found " + describe(current));
    return nullptr;
  }
  if (isReserved(current.text)) {
    error(current.range(), "'" + current.text + "' cannot start a layer here");
    return nullptr;
  }
  advance();
  if (current.is(Tok::LParen)) {
    llvm::SMLoc start = current.loc();
    if (!parseArguments(statement->arguments))
      return nullptr;
    statement->argumentsRange = {start, current.loc()};
  }
  return statement;
}

bool Parser::parseArguments(std::vector<Argument> &arguments) {
  if (!expect(Tok::LParen, "before the arguments"))
    return false;
  if (consumeIf(Tok::RParen))
    return true;
  do {
    Argument argument;
    if (current.is(Tok::Identifier) && lookahead.is(Tok::Equal)) {
      argument.name = current.text.str();
      argument.nameRange = current.range();
      advance();
      advance();
    } else if (!arguments.empty() && !arguments.back().name.empty()) {
      return error(current.range(), "a positional argument after a named one");
    }
    argument.value = parseExpr();
    if (!argument.value)
      return false;
    if (!argument.nameRange.Start.isValid())
      argument.nameRange = argument.value->range;
    arguments.push_back(std::move(argument));
  } while (consumeIf(Tok::Comma));
  return expect(Tok::RParen, "after the arguments");
}

/// Operators by precedence level, loosest first.
const std::vector<std::vector<std::pair<Tok, const char *>>> &levels() {
  static const std::vector<std::vector<std::pair<Tok, const char *>>> table = {
      {{Tok::OrOr, "||"}},
      {{Tok::AndAnd, "&&"}},
      {{Tok::EqualEqual, "=="},
       {Tok::NotEqual, "!="},
       {Tok::Less, "<"},
       {Tok::LessEqual, "<="},
       {Tok::Greater, ">"},
       {Tok::GreaterEqual, ">="}},
      {{Tok::Plus, "+"}, {Tok::Minus, "-"}},
      {{Tok::Star, "*"}, {Tok::Slash, "/"}},
  };
  return table;
}

std::unique_ptr<Expr> Parser::parseBinary(int level) {
  if (level == static_cast<int>(levels().size()))
    return parseUnary();
  std::unique_ptr<Expr> lhs = parseBinary(level + 1);
  while (lhs) {
    const char *op = nullptr;
    for (auto [kind, text] : levels()[level])
      if (current.is(kind))
        op = text;
    if (!op)
      break;
    advance();
    std::unique_ptr<Expr> rhs = parseBinary(level + 1);
    if (!rhs)
      return nullptr;
    auto binary = std::make_unique<Expr>();
    binary->kind = Expr::Kind::Binary;
    binary->name = op;
    binary->range = {lhs->range.Start, rhs->range.End};
    binary->lhs = std::move(lhs);
    binary->rhs = std::move(rhs);
    lhs = std::move(binary);
  }
  return lhs;
}

std::unique_ptr<Expr> Parser::parseUnary() {
  Token token = current;
  Nesting nested(*this, token.range());
  if (!nested.ok)
    return nullptr;
  if (token.is(Tok::Minus) || token.is(Tok::Bang)) {
    advance();
    std::unique_ptr<Expr> operand = parseUnary();
    if (!operand)
      return nullptr;
    auto expr = std::make_unique<Expr>();
    expr->kind = token.is(Tok::Minus) ? Expr::Kind::Negate : Expr::Kind::Not;
    expr->range = {token.loc(), operand->range.End};
    expr->lhs = std::move(operand);
    return expr;
  }
  if (token.is(Tok::LParen)) {
    advance();
    std::unique_ptr<Expr> inner = parseExpr();
    if (!inner || !expect(Tok::RParen, "to close the parenthesis"))
      return nullptr;
    return inner;
  }
  auto expr = std::make_unique<Expr>();
  expr->range = token.range();
  if (token.is(Tok::Integer) || token.is(Tok::Float)) {
    if (token.text.getAsDouble(expr->number, /*AllowInexact=*/true)) {
      error(token.range(), "'" + token.text + "' is not a number");
      return nullptr;
    }
    expr->isInteger = token.is(Tok::Integer);
    advance();
    return expr;
  }
  if (token.is(Tok::Identifier) && !isReserved(token.text)) {
    expr->kind = Expr::Kind::Name;
    expr->name = token.text.str();
    advance();
    return expr;
  }
  error(token.range(), "expected a value, found " + describe(token));
  return nullptr;
}

} // namespace

std::optional<ModelSource> parseModel(llvm::SourceMgr &sources) {
  return Parser(sources).parse();
}

} // namespace cnnc::dsl
