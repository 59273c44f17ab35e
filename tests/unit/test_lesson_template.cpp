// Lesson paragraph templates: placeholders found with their offsets, filled, lines folded,
// and malformed braces refused (the loader turns that into file:line: lesson.text).
#include <catch2/catch.hpp>
#include <stdexcept>
#include <string>

#include "lessons/lesson_kind.hpp"
#include "lessons/lesson_template.hpp"

using namespace morsim;

TEST_CASE("lesson templates: placeholders, braces and line folding", "[lesson]") {
  const std::string t = "Heroin {dose} binds\n{control_peak} {{not a hole}}.\n\nNext.";
  const auto holes = template_placeholders(t);
  REQUIRE(holes.size() == 2);
  CHECK(holes[0].name == "dose");
  CHECK(holes[0].offset == 7);
  CHECK(holes[1].name == "control_peak");
  CHECK(fill_template(t, {{"dose", "25 mg"}, {"control_peak", "87%"}}) ==
        "Heroin 25 mg binds 87% {not a hole}.\n\nNext.");
  CHECK_THROWS_AS(template_placeholders("open {dose"), std::invalid_argument);
  CHECK_THROWS_AS(template_placeholders("stray } brace"), std::invalid_argument);
  CHECK_THROWS_AS(template_placeholders("{two words}"), std::invalid_argument);
  CHECK_THROWS_AS(template_placeholders("{}"), std::invalid_argument);
}

TEST_CASE("lesson kinds: every kind has an analysis, roles and placeholders", "[lesson]") {
  REQUIRE(lesson_kinds().size() >= 7);
  for (const LessonKind& k : lesson_kinds()) {
    CHECK(k.analyse != nullptr);
    CHECK_FALSE(k.roles.empty());
    CHECK_FALSE(k.placeholders.empty());
    CHECK(find_lesson_kind(k.name) == &k);
  }
  CHECK(find_lesson_kind("no-such-kind") == nullptr);
}
