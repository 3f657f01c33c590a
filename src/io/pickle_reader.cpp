#include "io/pickle_reader.h"

#include <cstdio>
#include <cstring>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>

#include <bertcls/error.h>

namespace bertcls::io {
namespace {

enum class Kind { none, boolean, integer, floating, string, tuple, list, dict, global, storage, tensor };

const char* kind_name(Kind kind) {
  switch (kind) {
    case Kind::none: return "None";
    case Kind::boolean: return "a bool";
    case Kind::integer: return "an int";
    case Kind::floating: return "a float";
    case Kind::string: return "a string";
    case Kind::tuple: return "a tuple";
    case Kind::list: return "a list";
    case Kind::dict: return "a dict";
    case Kind::global: return "a global";
    case Kind::storage: return "a storage";
    case Kind::tensor: return "a tensor";
  }
  return "an object";
}

// Objects live in one arena and refer to each other by index: no ownership cycles, no
// recursive destruction, whatever a hostile pickle builds.
struct Object {
  Kind kind = Kind::none;
  int64_t integer = 0;           // int, bool; storage numel
  std::string text;              // string; global "module.name"; storage key
  std::vector<std::size_t> items;  // tuple, list; dict as key, value, key, value...
  ElementType type = ElementType::f32;  // storage, tensor
  std::size_t storage = 0;       // tensor: its storage object
  int64_t offset = 0;            // tensor
  std::vector<int64_t> shape;    // tensor
  std::vector<int64_t> stride;   // tensor
};

// The globals a state dict needs, and the storage classes with their element types.
const std::map<std::string, std::optional<ElementType>>& allowed_globals() {
  static const std::map<std::string, std::optional<ElementType>> globals = {
      {"collections.OrderedDict", std::nullopt},
      {"torch._utils._rebuild_tensor_v2", std::nullopt},
      {"torch._utils._rebuild_parameter", std::nullopt},
      {"torch.FloatStorage", ElementType::f32},
      {"torch.HalfStorage", ElementType::f16},
      {"torch.BFloat16Storage", ElementType::bf16},
      {"torch.LongStorage", ElementType::i64},
  };
  return globals;
}

class Machine {
 public:
  Machine(std::span<const std::byte> bytes, const std::string& source) : bytes_(bytes), source_(source) {}

  std::size_t run() {
    while (true) {
      opcode_at_ = pos_;
      const uint8_t op = u8();
      switch (op) {
        case 0x80: proto(); break;                         // PROTO
        case 0x95: skip(8); break;                         // FRAME: only a read-ahead hint
        case 'c': global_opcode(); break;                  // GLOBAL
        case 0x93: stack_global(); break;                  // STACK_GLOBAL
        case '}': push(make(Kind::dict)); break;           // EMPTY_DICT
        case ']': push(make(Kind::list)); break;           // EMPTY_LIST
        case ')': push(make(Kind::tuple)); break;          // EMPTY_TUPLE
        case '(': marks_.push_back(stack_.size()); break;  // MARK
        case 'X': push_string(u32()); break;               // BINUNICODE
        case 0x8c: push_string(u8()); break;               // SHORT_BINUNICODE
        case 0x8d: push_string(u64()); break;              // BINUNICODE8
        case 'q': memo_[u8()] = top(); break;              // BINPUT
        case 'r': memo_[u32()] = top(); break;             // LONG_BINPUT
        case 0x94: memo_[memo_.size()] = top(); break;     // MEMOIZE
        case 'h': push(memo(u8())); break;                 // BINGET
        case 'j': push(memo(u32())); break;                // LONG_BINGET
        case 'J': push_int(static_cast<int32_t>(u32())); break;  // BININT
        case 'K': push_int(u8()); break;                   // BININT1
        case 'M': push_int(u16()); break;                  // BININT2
        case 0x8a: push_int(long1()); break;               // LONG1
        case 'G': push_float(); break;                     // BINFLOAT
        case 'N': push(make(Kind::none)); break;           // NONE
        case 0x88: push_bool(true); break;                 // NEWTRUE
        case 0x89: push_bool(false); break;                // NEWFALSE
        case 't': push_sequence(Kind::tuple, pop_mark()); break;  // TUPLE
        case 0x85: push_sequence(Kind::tuple, pop_n(1)); break;  // TUPLE1
        case 0x86: push_sequence(Kind::tuple, pop_n(2)); break;  // TUPLE2
        case 0x87: push_sequence(Kind::tuple, pop_n(3)); break;  // TUPLE3
        case 'l': push_sequence(Kind::list, pop_mark()); break;   // LIST
        case 'a': append(pop_n(1)); break;                 // APPEND
        case 'e': append(pop_mark()); break;               // APPENDS
        case 'd': dict_from_mark(); break;                 // DICT
        case 's': set_items(pop_n(2)); break;              // SETITEM
        case 'u': set_items(pop_mark()); break;            // SETITEMS
        case 'Q': persistent_load(); break;                // BINPERSID
        case 'R': reduce(); break;                         // REDUCE
        case 'b': build(); break;                          // BUILD
        case '.':                                          // STOP
          if (stack_.size() != 1) fail("STOP with " + std::to_string(stack_.size()) + " objects on the stack");
          return stack_.back();
        default: {
          char hex[8];
          std::snprintf(hex, sizeof hex, "0x%02x", op);
          fail(std::string("unsupported pickle opcode ") + hex + ": not a plain state dict");
        }
      }
    }
  }

  const Object& at(std::size_t index) const { return objects_[index]; }

  [[noreturn]] void fail(const std::string& problem) const {
    throw Error(source_ + ": byte " + std::to_string(opcode_at_) + ": " + problem);
  }

 private:
  // --- input
  void skip(uint64_t n) {
    if (n > bytes_.size() - pos_) fail("truncated pickle");
    pos_ += n;
  }
  template <typename T>
  T read() {
    if (sizeof(T) > bytes_.size() - pos_) fail("truncated pickle");
    T value;
    std::memcpy(&value, bytes_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return value;
  }
  uint8_t u8() { return read<uint8_t>(); }
  uint16_t u16() { return read<uint16_t>(); }
  uint32_t u32() { return read<uint32_t>(); }
  uint64_t u64() { return read<uint64_t>(); }
  std::string text(uint64_t n) {
    const std::size_t start = pos_;
    skip(n);
    return std::string(reinterpret_cast<const char*>(bytes_.data()) + start, n);
  }
  std::string line() {
    std::string s;
    while (true) {
      const char c = static_cast<char>(u8());
      if (c == '\n') return s;
      if (s.size() > 256) fail("GLOBAL name too long");
      s += c;
    }
  }
  int64_t long1() {
    const uint8_t n = u8();
    if (n > 8) fail("LONG1 of " + std::to_string(n) + " bytes does not fit 64 bits");
    uint64_t v = 0;
    for (uint8_t i = 0; i < n; ++i) v |= static_cast<uint64_t>(u8()) << (8 * i);
    if (n > 0 && n < 8 && (v >> (8 * n - 1)) & 1) v |= ~uint64_t{0} << (8 * n);  // sign-extend
    return static_cast<int64_t>(v);
  }

  // --- objects and stack
  std::size_t make(Kind kind) {
    objects_.emplace_back();
    objects_.back().kind = kind;
    return objects_.size() - 1;
  }
  void push(std::size_t index) { stack_.push_back(index); }
  std::size_t top() {
    if (stack_.size() <= floor()) fail("stack underflow");
    return stack_.back();
  }
  std::size_t pop() {
    const std::size_t index = top();
    stack_.pop_back();
    return index;
  }
  // Items above the latest MARK may not be popped by opcodes that ignore marks.
  std::size_t floor() const { return marks_.empty() ? 0 : marks_.back(); }
  std::vector<std::size_t> pop_n(std::size_t n) {
    if (stack_.size() < floor() + n) fail("stack underflow");
    std::vector<std::size_t> items(stack_.end() - static_cast<std::ptrdiff_t>(n), stack_.end());
    stack_.resize(stack_.size() - n);
    return items;
  }
  std::vector<std::size_t> pop_mark() {
    if (marks_.empty()) fail("no MARK to pop to");
    const std::size_t mark = marks_.back();
    marks_.pop_back();
    std::vector<std::size_t> items(stack_.begin() + static_cast<std::ptrdiff_t>(mark), stack_.end());
    stack_.resize(mark);
    return items;
  }
  std::size_t top_of(Kind kind, std::size_t depth) {
    if (stack_.size() < floor() + depth + 1) fail("stack underflow");
    const std::size_t index = stack_[stack_.size() - depth - 1];
    if (objects_[index].kind != kind) fail(std::string("expected ") + kind_name(kind) + ", found " + kind_name(objects_[index].kind));
    return index;
  }
  std::size_t memo(uint32_t key) {
    const auto found = memo_.find(key);
    if (found == memo_.end()) fail("memo key " + std::to_string(key) + " was never stored");
    return found->second;
  }
  void push_string(uint64_t n) {
    const std::size_t index = make(Kind::string);
    objects_[index].text = text(n);
    push(index);
  }
  void push_int(int64_t v) {
    const std::size_t index = make(Kind::integer);
    objects_[index].integer = v;
    push(index);
  }
  void push_bool(bool v) {
    const std::size_t index = make(Kind::boolean);
    objects_[index].integer = v;
    push(index);
  }
  void push_float() {
    const uint64_t bits = read<uint64_t>();
    const std::size_t index = make(Kind::floating);
    objects_[index].integer = static_cast<int64_t>(__builtin_bswap64(bits));  // BINFLOAT is big-endian
    push(index);
  }
  void push_sequence(Kind kind, std::vector<std::size_t> items) {
    const std::size_t index = make(kind);
    objects_[index].items = std::move(items);
    push(index);
  }

  // --- opcodes with meaning
  void proto() {
    const uint8_t version = u8();
    if (version > 5) fail("pickle protocol " + std::to_string(version) + " is unknown");
  }
  void global(const std::string& module, const std::string& name) {
    const std::string full = module + "." + name;
    if (allowed_globals().find(full) == allowed_globals().end()) fail("pickle calls " + full + ": not a plain state dict");
    const std::size_t index = make(Kind::global);
    objects_[index].text = full;
    push(index);
  }
  void global_opcode() {
    const std::string module = line();
    global(module, line());
  }
  void stack_global() {
    const std::size_t name = pop();
    const std::size_t module = pop();
    if (objects_[name].kind != Kind::string || objects_[module].kind != Kind::string) fail("STACK_GLOBAL needs two strings");
    const std::string module_name = objects_[module].text;
    global(module_name, std::string(objects_[name].text));
  }
  void append(const std::vector<std::size_t>& items) {
    const std::size_t list = top_of(Kind::list, 0);
    auto& target = objects_[list].items;
    target.insert(target.end(), items.begin(), items.end());
  }
  // SETITEM, SETITEMS: key-value pairs popped above the dict they go into.
  void set_items(const std::vector<std::size_t>& items) {
    if (items.size() % 2 != 0) fail("SETITEMS with an odd number of objects");
    auto& target = objects_[top_of(Kind::dict, 0)].items;
    target.insert(target.end(), items.begin(), items.end());
  }
  void dict_from_mark() {
    auto items = pop_mark();
    if (items.size() % 2 != 0) fail("DICT with an odd number of objects");
    const std::size_t dict = make(Kind::dict);
    objects_[dict].items = std::move(items);
    push(dict);
  }
  void persistent_load() {
    // torch: ('storage', storage class, key, location, numel)
    const Object& id = objects_[pop()];
    if (id.kind != Kind::tuple || id.items.size() != 5) fail("persistent id is not a 5-tuple ('storage', type, key, location, numel)");
    const Object& tag = objects_[id.items[0]];
    const Object& type = objects_[id.items[1]];
    const Object& key = objects_[id.items[2]];
    const Object& numel = objects_[id.items[4]];
    if (tag.kind != Kind::string || tag.text != "storage") fail("persistent id is not a storage");
    if (type.kind != Kind::global || !allowed_globals().at(type.text)) fail("persistent id names no storage class");
    if (key.kind != Kind::string || numel.kind != Kind::integer || numel.integer < 0) fail("persistent id has a bad key or size");
    Object storage;
    storage.kind = Kind::storage;
    storage.type = *allowed_globals().at(type.text);
    storage.text = key.text;
    storage.integer = numel.integer;
    objects_.push_back(std::move(storage));  // invalidates the references above
    push(objects_.size() - 1);
  }
  std::vector<int64_t> int_tuple(std::size_t index, const char* what) {
    const Object& tuple = objects_[index];
    if (tuple.kind != Kind::tuple) fail(std::string(what) + " is not a tuple");
    if (tuple.items.size() > 16) fail(std::string(what) + " has more than 16 dimensions");
    std::vector<int64_t> values;
    for (const std::size_t item : tuple.items) {
      if (objects_[item].kind != Kind::integer || objects_[item].integer < 0) fail(std::string(what) + " holds a value that is not a non-negative int");
      values.push_back(objects_[item].integer);
    }
    return values;
  }
  bool empty_dict(std::size_t index) const { return objects_[index].kind == Kind::dict && objects_[index].items.empty(); }
  void reduce() {
    const std::size_t args_index = pop();
    const std::size_t callable = pop();
    if (objects_[callable].kind != Kind::global) fail(std::string("REDUCE calls ") + kind_name(objects_[callable].kind));
    const std::string name = objects_[callable].text;
    const std::vector<std::size_t> args = objects_[args_index].kind == Kind::tuple ? objects_[args_index].items
                                                                                     : std::vector<std::size_t>{};
    if (objects_[args_index].kind != Kind::tuple) fail(name + " called with arguments that are not a tuple");
    if (name == "collections.OrderedDict") {
      if (!args.empty()) fail("OrderedDict called with arguments");
      push(make(Kind::dict));
    } else if (name == "torch._utils._rebuild_tensor_v2") {
      // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
      if (args.size() != 6 && args.size() != 7) fail("_rebuild_tensor_v2 called with " + std::to_string(args.size()) + " arguments");
      if (objects_[args[0]].kind != Kind::storage) fail("_rebuild_tensor_v2 called without a storage");
      if (objects_[args[1]].kind != Kind::integer || objects_[args[1]].integer < 0) fail("_rebuild_tensor_v2: bad storage offset");
      if (!empty_dict(args[5])) fail("_rebuild_tensor_v2: tensor carries backward hooks");
      if (args.size() == 7 && objects_[args[6]].kind != Kind::none && !empty_dict(args[6])) fail("_rebuild_tensor_v2: tensor carries metadata");
      const std::size_t tensor = make(Kind::tensor);
      objects_[tensor].storage = args[0];
      objects_[tensor].type = objects_[args[0]].type;
      objects_[tensor].offset = objects_[args[1]].integer;
      objects_[tensor].shape = int_tuple(args[2], "tensor size");
      objects_[tensor].stride = int_tuple(args[3], "tensor stride");
      if (objects_[tensor].shape.size() != objects_[tensor].stride.size()) fail("tensor size and stride differ in length");
      push(tensor);
    } else if (name == "torch._utils._rebuild_parameter") {
      // (data, requires_grad, backward_hooks): a Parameter is its data for our purposes.
      if (args.size() != 3 || objects_[args[0]].kind != Kind::tensor || !empty_dict(args[2])) fail("_rebuild_parameter: bad arguments");
      push(args[0]);
    } else {
      fail("pickle calls " + name + ": not a plain state dict");
    }
  }
  void build() {
    // HF state dicts are OrderedDicts carrying a `_metadata` attribute (module versions);
    // BUILD sets it. Attributes are ignored; building anything else is refused.
    const std::size_t state = pop();
    const std::size_t target = top();
    if (objects_[target].kind != Kind::dict || objects_[state].kind != Kind::dict) {
      fail(std::string("BUILD of ") + kind_name(objects_[target].kind) + ": not a plain state dict");
    }
  }

  std::span<const std::byte> bytes_;
  const std::string& source_;
  std::size_t pos_ = 0;
  std::size_t opcode_at_ = 0;
  std::vector<Object> objects_;
  std::vector<std::size_t> stack_;
  std::vector<std::size_t> marks_;
  std::unordered_map<uint32_t, std::size_t> memo_;
};

}  // namespace

std::vector<PickledTensor> read_state_dict_pickle(std::span<const std::byte> pickle, const std::string& source) {
  Machine machine(pickle, source);
  const Object& root = machine.at(machine.run());
  if (root.kind != Kind::dict) throw Error(source + ": the pickle holds " + kind_name(root.kind) + ", not a state dict");
  std::vector<PickledTensor> tensors;
  std::set<std::string> names;
  for (std::size_t i = 0; i + 1 < root.items.size(); i += 2) {
    const Object& key = machine.at(root.items[i]);
    const Object& value = machine.at(root.items[i + 1]);
    if (key.kind != Kind::string) throw Error(source + ": state dict key is " + kind_name(key.kind) + ", not a string");
    if (value.kind != Kind::tensor) {
      throw Error(source + ": state dict entry \"" + key.text + "\" holds " + kind_name(value.kind) + ", not a tensor");
    }
    if (!names.insert(key.text).second) throw Error(source + ": state dict key \"" + key.text + "\" appears twice");
    const Object& storage = machine.at(value.storage);
    tensors.push_back({key.text, storage.text, value.type, static_cast<uint64_t>(storage.integer), value.offset, value.shape,
                       value.stride});
  }
  return tensors;
}

}  // namespace bertcls::io
