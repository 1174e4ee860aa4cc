#pragma once
// Switches the C and C++ process locales (as a desktop session under a German locale would)
// for the life of the object.
#include <clocale>
#include <locale>
#include <stdexcept>
#include <string>

namespace foldbench::testing {

class ScopedLocale {
 public:
  explicit ScopedLocale(const char* name) : previousC_(std::setlocale(LC_ALL, nullptr)), previousCpp_(std::locale()) {
    if (!std::setlocale(LC_ALL, name))
      throw std::runtime_error(std::string("locale ") + name + " is not installed (scripts/setup.sh generates it)");
    std::locale::global(std::locale(name));
  }
  ~ScopedLocale() {
    std::setlocale(LC_ALL, previousC_.c_str());
    std::locale::global(previousCpp_);
  }
  ScopedLocale(const ScopedLocale&) = delete;
  ScopedLocale& operator=(const ScopedLocale&) = delete;

 private:
  std::string previousC_;
  std::locale previousCpp_;
};

inline constexpr const char* kCommaLocale = "de_DE.UTF-8";

}  // namespace foldbench::testing
