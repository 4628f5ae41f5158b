//===- onnx-from-text.cpp - Build .onnx files from ONNX textual syntax ----===//
//
// Test-only helper used by lit tests: parses ONNX's textual model syntax
// (onnx/defs/parser.h, onnx::OnnxParser) and writes a binary ModelProto.
//
//   onnx-from-text INPUT -o OUTPUT.onnx [--external-data NAME[,NAME...]]
//                  [--section NAME] [--name-nodes]
//
// INPUT ('-' = stdin) is either a plain text model, where lines starting with
// '#' or '//' are comments, or a lit test that carries its model inline on
// lines beginning with `// ONNX:` or `# ONNX:`; if any such line exists, only
// the text after those prefixes is used. `--section NAME` selects the lines
// prefixed `// ONNX-NAME:` / `# ONNX-NAME:` instead (like FileCheck's
// --check-prefix), so one test file can carry several models.
//
// --external-data moves the named top-level initializers to OUTPUT.data
// (OUTPUT.onnx with the .onnx suffix replaced, else OUTPUT + ".data"), as
// little-endian raw bytes at 64-byte aligned offsets, and references them via
// data_location=EXTERNAL with location/offset/length entries.
//
// The ONNX checker is deliberately not run: tests build invalid models.
//
//===----------------------------------------------------------------------===//

#include "onnx/defs/parser.h"
#include "onnx/onnx_pb.h"

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <fstream>
#include <iostream>
#include <iterator>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

namespace {

const char *kTool = "onnx-from-text";

[[noreturn]] void fail(const std::string &where, const std::string &msg) {
  std::cerr << kTool << ": " << where << ": " << msg << "\n";
  std::exit(1);
}

[[noreturn]] void usage(const std::string &msg) {
  std::cerr << kTool << ": " << msg << "\n"
            << "usage: " << kTool
            << " INPUT -o OUTPUT.onnx [--external-data NAME[,NAME...]]"
               " [--section NAME] [--name-nodes]\n";
  std::exit(2);
}

bool startsWith(const std::string &s, size_t pos, const char *prefix) {
  return s.compare(pos, std::strlen(prefix), prefix) == 0;
}

// Returns the model text: the `// ONNX:` / `# ONNX:` payload if present,
// otherwise the input with comment lines blanked (line numbers preserved so
// parser positions stay meaningful).
std::string extractModelText(const std::string &input,
                             const std::string &marker, bool &hasEmbedded) {
  std::vector<std::string> lines;
  {
    std::istringstream is(input);
    std::string line;
    while (std::getline(is, line)) {
      if (!line.empty() && line.back() == '\r')
        line.pop_back();
      lines.push_back(line);
    }
  }
  std::string embedded, plain;
  hasEmbedded = false;
  for (const std::string &line : lines) {
    size_t p = line.find_first_not_of(" \t");
    if (p == std::string::npos) {
      plain += "\n";
      continue;
    }
    size_t afterPrefix = std::string::npos;
    if (startsWith(line, p, "//"))
      afterPrefix = p + 2;
    else if (startsWith(line, p, "#"))
      afterPrefix = p + 1;
    if (afterPrefix != std::string::npos) {
      size_t q = line.find_first_not_of(" \t", afterPrefix);
      if (q != std::string::npos && startsWith(line, q, marker.c_str())) {
        hasEmbedded = true;
        embedded += line.substr(q + marker.size());
        embedded += "\n";
      }
      plain += "\n"; // comment line
      continue;
    }
    plain += line;
    plain += "\n";
  }
  return hasEmbedded ? embedded : plain;
}

std::string readInput(const std::string &path) {
  if (path == "-")
    return std::string(std::istreambuf_iterator<char>(std::cin),
                       std::istreambuf_iterator<char>());
  std::ifstream in(path, std::ios::binary);
  if (!in)
    fail(path, "cannot open input file");
  return std::string(std::istreambuf_iterator<char>(in),
                     std::istreambuf_iterator<char>());
}

void appendLE(std::string &out, uint64_t v, unsigned bytes) {
  for (unsigned i = 0; i < bytes; ++i)
    out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

// Raw little-endian bytes of an initializer (raw_data as is, or the typed
// field converted per the TensorProto storage rules).
bool tensorRawBytes(const onnx::TensorProto &t, std::string &out,
                    std::string &err) {
  using TP = onnx::TensorProto;
  if (t.has_raw_data()) {
    out = t.raw_data();
    return true;
  }
  out.clear();
  switch (t.data_type()) {
  case TP::FLOAT:
  case TP::COMPLEX64:
    for (float f : t.float_data()) {
      uint32_t bits;
      std::memcpy(&bits, &f, 4);
      appendLE(out, bits, 4);
    }
    return true;
  case TP::DOUBLE:
  case TP::COMPLEX128:
    for (double d : t.double_data()) {
      uint64_t bits;
      std::memcpy(&bits, &d, 8);
      appendLE(out, bits, 8);
    }
    return true;
  case TP::INT64:
    for (int64_t v : t.int64_data())
      appendLE(out, static_cast<uint64_t>(v), 8);
    return true;
  case TP::UINT64:
    for (uint64_t v : t.uint64_data())
      appendLE(out, v, 8);
    return true;
  case TP::UINT32:
    for (uint64_t v : t.uint64_data())
      appendLE(out, v, 4);
    return true;
  case TP::INT32:
    for (int32_t v : t.int32_data())
      appendLE(out, static_cast<uint32_t>(v), 4);
    return true;
  case TP::INT16:
  case TP::UINT16:
  case TP::FLOAT16:
  case TP::BFLOAT16:
    for (int32_t v : t.int32_data())
      appendLE(out, static_cast<uint32_t>(v), 2);
    return true;
  case TP::INT8:
  case TP::UINT8:
  case TP::BOOL:
    for (int32_t v : t.int32_data())
      appendLE(out, static_cast<uint32_t>(v), 1);
    return true;
  default:
    err = "unsupported data type " + std::to_string(t.data_type()) +
          " for external data";
    return false;
  }
}

void clearTypedData(onnx::TensorProto &t) {
  t.clear_raw_data();
  t.clear_float_data();
  t.clear_double_data();
  t.clear_int32_data();
  t.clear_int64_data();
  t.clear_uint64_data();
  t.clear_string_data();
}

std::string baseName(const std::string &path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string dataPathFor(const std::string &output) {
  const std::string ext = ".onnx";
  if (output.size() > ext.size() &&
      output.compare(output.size() - ext.size(), ext.size(), ext) == 0)
    return output.substr(0, output.size() - ext.size()) + ".data";
  return output + ".data";
}

// Writes `bytes` to `path` via a temporary file and rename.
void writeAtomically(const std::string &path, const std::string &bytes) {
  std::string tmp = path + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out)
      fail(path, "cannot open '" + tmp + "' for writing");
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) {
      std::remove(tmp.c_str());
      fail(path, "error writing '" + tmp + "'");
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    fail(path, "cannot rename '" + tmp + "' to '" + path + "'");
  }
}

void externalize(onnx::ModelProto &model, const std::vector<std::string> &names,
                 const std::string &output) {
  std::string dataPath = dataPathFor(output);
  std::string location = baseName(dataPath);
  std::string blob;
  std::set<std::string> done;
  auto *graph = model.mutable_graph();
  for (const std::string &name : names) {
    if (done.count(name))
      continue;
    onnx::TensorProto *tensor = nullptr;
    for (auto &init : *graph->mutable_initializer())
      if (init.name() == name) {
        tensor = &init;
        break;
      }
    if (!tensor)
      fail(output, "--external-data: no initializer named '" + name + "'");
    if (tensor->data_location() == onnx::TensorProto::EXTERNAL)
      fail(output,
           "--external-data: initializer '" + name + "' is already external");
    std::string bytes, err;
    if (!tensorRawBytes(*tensor, bytes, err))
      fail(output, "--external-data: initializer '" + name + "': " + err);
    while (blob.size() % 64)
      blob.push_back('\0');
    uint64_t offset = blob.size();
    blob += bytes;
    clearTypedData(*tensor);
    tensor->clear_external_data();
    tensor->set_data_location(onnx::TensorProto::EXTERNAL);
    auto add = [&](const char *key, const std::string &value) {
      auto *e = tensor->add_external_data();
      e->set_key(key);
      e->set_value(value);
    };
    add("location", location);
    add("offset", std::to_string(offset));
    add("length", std::to_string(bytes.size()));
    done.insert(name);
  }
  writeAtomically(dataPath, blob);
}

} // namespace

int main(int argc, char **argv) {
  GOOGLE_PROTOBUF_VERIFY_VERSION;

  std::string input, output, section;
  std::vector<std::string> externalNames;
  bool haveInput = false, wantExternal = false, nameNodes = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&](const std::string &opt) -> std::string {
      if (i + 1 >= argc)
        usage("missing value for " + opt);
      return argv[++i];
    };
    if (arg == "-o") {
      output = value(arg);
    } else if (arg.rfind("-o", 0) == 0 && arg.size() > 2 && arg[2] != '-') {
      output = arg.substr(2);
    } else if (arg == "--external-data" ||
               arg.rfind("--external-data=", 0) == 0) {
      std::string list = arg == "--external-data"
                             ? value(arg)
                             : arg.substr(std::strlen("--external-data="));
      wantExternal = true;
      std::stringstream ss(list);
      std::string name;
      while (std::getline(ss, name, ','))
        if (!name.empty())
          externalNames.push_back(name);
    } else if (arg == "--name-nodes") {
      nameNodes = true;
    } else if (arg == "--section") {
      section = value(arg);
    } else if (arg.rfind("--section=", 0) == 0) {
      section = arg.substr(std::strlen("--section="));
    } else if (arg == "-h" || arg == "--help") {
      usage("help");
    } else if (arg != "-" && arg.size() > 1 && arg[0] == '-') {
      usage("unknown option '" + arg + "'");
    } else {
      if (haveInput)
        usage("more than one input file");
      input = arg;
      haveInput = true;
    }
  }
  if (!haveInput)
    usage("no input file");
  if (output.empty())
    usage("no output file (-o)");
  if (wantExternal && externalNames.empty())
    usage("--external-data needs at least one initializer name");

  std::string marker = section.empty() ? "ONNX:" : "ONNX-" + section + ":";
  bool hasEmbedded = false;
  std::string text = extractModelText(readInput(input), marker, hasEmbedded);
  if (!section.empty() && !hasEmbedded)
    fail(input,
         "no lines starting with '// " + marker + "' or '# " + marker + "'");

  onnx::ModelProto model;
  try {
    onnx::OnnxParser parser(text.c_str());
    auto status = parser.Parse(model);
    if (!status.IsOK())
      fail(input, status.ErrorMessage());
    if (!parser.EndOfInput())
      fail(input, "[ParseError at position " + parser.GetCurrentPos() +
                      "]\nError context: " + parser.GetErrorContext() +
                      "\nUnexpected text after the model.");
  } catch (const std::exception &e) {
    // OnnxParser converts literals with std::stoll/stof, which throw on
    // out-of-range or malformed numbers (e.g. inf, nan).
    fail(input, std::string("parse error: invalid literal (") + e.what() + ")");
  }

  // The text syntax cannot name nodes: --name-nodes names each after its
  // first output, so that tests can check messages that quote node names.
  if (nameNodes)
    for (onnx::NodeProto &node : *model.mutable_graph()->mutable_node())
      if (node.name().empty() && node.output_size() > 0)
        node.set_name(node.output(0));

  if (!externalNames.empty())
    externalize(model, externalNames, output);

  std::string bytes;
  if (!model.SerializeToString(&bytes))
    fail(output, "cannot serialize the model");
  writeAtomically(output, bytes);
  return 0;
}
