#include "foldbench/data/sample_generator.h"

#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>

#include "foldbench/data/random.h"
#include "foldbench/text/utf8.h"

namespace foldbench::data {

namespace {

using text::decodeUtf8;
using text::encodeUtf8;

struct Template {
  int label;
  const char* pattern;  // {S} / {O} are the entities; ~은 ~이 ~을 ~와 ~로 pick the right particle
  bool subjectIsOrg;
  char objectKind;      // 'P' person, 'O' organisation, 'C' city, 'J' job, 'S' school
};

const char* kLabels[] = {"관계_없음",     "인물:배우자",   "인물:직업/직함", "인물:소속단체",
                         "인물:출생_도시", "단체:본사_도시", "단체:창립자",    "인물:학교"};

const Template kTemplates[] = {
    {0, "{S}~와 {O}~은 같은 날 열린 행사에 각각 참석했다.", false, 'P'},
    {0, "{S}~은 기자회견에서 {O}에 대한 질문에 답하지 않았다.", false, 'O'},
    {0, "지난해 {S}~와 {O}~은 서로 다른 지역에서 공연을 열었다.", false, 'P'},
    {0, "{S}~은 {O} 근처의 식당을 자주 찾는다고 밝혔다.", false, 'C'},
    {0, "{S}~은 {O}~와 비슷한 시기에 새 제품을 내놓았다.", true, 'O'},
    {1, "{S}~은 {O}~와 결혼하여 두 자녀를 두었다.", false, 'P'},
    {1, "{S}의 아내 {O}~은 오랫동안 그의 활동을 도왔다.", false, 'P'},
    {1, "{S}~은 배우자인 {O}~와 함께 시상식에 나타났다.", false, 'P'},
    {2, "{S}~은 현재 {O}~로 일하고 있다.", false, 'J'},
    {2, "{O}인 {S}~은 새 작품을 준비 중이다.", false, 'J'},
    {3, "{S}~은 {O}에 입사하여 연구를 이끌었다.", false, 'O'},
    {3, "{O} 소속의 {S}~은 이번 경기에서 두 골을 넣었다.", false, 'O'},
    {3, "{S}~은 {O}의 대표 선수로 활약했다.", false, 'O'},
    {4, "{S}~은 {O}에서 태어나 그곳에서 자랐다.", false, 'C'},
    {4, "{O} 출생인 {S}~은 어린 시절부터 음악을 좋아했다.", false, 'C'},
    {5, "{S}의 본사는 {O}에 있다.", true, 'C'},
    {5, "{O}에 본사를 둔 {S}~은 올해 매출이 크게 늘었다.", true, 'C'},
    {6, "{S}~은 {O}~이 세운 회사이다.", true, 'P'},
    {6, "{O}~은 젊은 시절 {S}~을 창립했다.", true, 'P'},
    {7, "{S}~은 {O}~을 졸업했다.", false, 'S'},
};

// Relative frequency per label: no relation dominates, the last label stays rare.
const int kLabelWeight[] = {34, 10, 12, 14, 10, 9, 9, 0};
constexpr int kRareLabel = 7;
constexpr int kRareLabelRows = 3;

const char* kFamily[] = {"김", "이", "박", "최", "정", "강", "조", "윤", "장", "임", "한", "오", "서", "신", "권"};
const char* kGiven[] = {"민", "서", "지", "현", "우", "준", "하", "윤", "도", "은", "수", "아", "진", "영", "호", "연"};
const char* kOrgStem[] = {"한빛", "누리", "새봄", "푸른", "다온", "가람", "해솔", "아라", "온새", "미르", "나래", "별빛"};
const char* kOrgKind[] = {"전자", "은행", "건설", "제약", "출판사", "통신", "항공", "식품", "축구단"};
const char* kCities[] = {"서울", "부산", "대구", "인천", "광주", "대전", "울산", "수원", "전주", "춘천", "제주"};
const char* kJobs[] = {"소설가", "가수", "영화감독", "변호사", "건축가", "요리사", "기자", "화가"};
const char* kSchoolStem[] = {"한울", "새길", "솔빛", "늘봄"};

// Whether the last Hangul syllable has a final consonant (batchim), which picks the particle.
bool hasBatchim(const std::u32string& word) {
  if (word.empty()) return false;
  const char32_t c = word.back();
  if (c < 0xAC00 || c > 0xD7A3) return false;
  return (c - 0xAC00) % 28 != 0;
}

bool endsWithRieul(const std::u32string& word) {
  return !word.empty() && word.back() >= 0xAC00 && word.back() <= 0xD7A3 && (word.back() - 0xAC00) % 28 == 8;
}

std::u32string particle(const std::u32string& word, const std::u32string& code) {
  const bool b = hasBatchim(word);
  if (code == U"은") return b ? U"은" : U"는";
  if (code == U"이") return b ? U"이" : U"가";
  if (code == U"을") return b ? U"을" : U"를";
  if (code == U"와") return b ? U"과" : U"와";
  if (code == U"로") return (b && !endsWithRieul(word)) ? U"으로" : U"로";
  throw std::logic_error("unknown particle code");
}

class Generator {
 public:
  explicit Generator(std::uint64_t seed) : rng_(seed) {}

  template <std::size_t N>
  const char* pick(const char* const (&items)[N]) {
    return items[uniformBelow(rng_, N)];
  }

  std::string person() { return std::string(pick(kFamily)) + pick(kGiven) + pick(kGiven); }
  std::string organisation() { return std::string(pick(kOrgStem)) + pick(kOrgKind); }
  std::string entity(char kind) {
    switch (kind) {
      case 'P': return person();
      case 'O': return organisation();
      case 'C': return pick(kCities);
      case 'J': return pick(kJobs);
      default: return std::string(pick(kSchoolStem)) + "대학교";
    }
  }

  int label(int rareRowsLeft, int rowsLeft) {
    if (rareRowsLeft > 0 && uniformBelow(rng_, static_cast<std::uint64_t>(rowsLeft)) < static_cast<std::uint64_t>(rareRowsLeft))
      return kRareLabel;
    int total = 0;
    for (int w : kLabelWeight) total += w;
    int r = static_cast<int>(uniformBelow(rng_, static_cast<std::uint64_t>(total)));
    for (int l = 0;; ++l) {
      if (r < kLabelWeight[l]) return l;
      r -= kLabelWeight[l];
    }
  }

  Example example(int label, const std::string& id) {
    std::vector<const Template*> choices;
    for (const auto& t : kTemplates)
      if (t.label == label) choices.push_back(&t);
    const Template& t = *choices[uniformBelow(rng_, choices.size())];
    std::u32string subject = decodeUtf8(t.subjectIsOrg ? organisation() : person());
    std::u32string object = decodeUtf8(entity(t.objectKind));
    while (object == subject) object = decodeUtf8(entity(t.objectKind));

    const std::u32string pattern = decodeUtf8(t.pattern);
    std::u32string sentence;
    Example ex;
    ex.id = id;
    ex.label = kLabels[label];
    for (std::size_t i = 0; i < pattern.size();) {
      if (pattern.compare(i, 3, U"{S}") == 0 || pattern.compare(i, 3, U"{O}") == 0) {
        const bool isSubject = pattern[i + 1] == U'S';
        const std::u32string& word = isSubject ? subject : object;
        EntitySpan& span = isSubject ? ex.subject : ex.object;
        span = {encodeUtf8(word), static_cast<int>(sentence.size()),
                static_cast<int>(sentence.size() + word.size()) - 1, ""};
        sentence += word;
        i += 3;
        if (i < pattern.size() && pattern[i] == U'~') {
          sentence += particle(word, pattern.substr(i + 1, 1));
          i += 2;
        }
      } else {
        sentence.push_back(pattern[i++]);
      }
    }
    ex.sentence = encodeUtf8(sentence);
    return ex;
  }

  std::mt19937_64& rng() { return rng_; }

 private:
  std::mt19937_64 rng_;
};

}  // namespace

SampleData generateSample(const SampleOptions& options) {
  SampleData sample;
  // Template order (ids 0..7), with 관계_없음 = 0 as in the competition.
  sample.labels = LabelMap::fromNames(std::vector<std::string>(std::begin(kLabels), std::end(kLabels)));
  Generator gen(options.seed);
  int rareLeft = kRareLabelRows;
  for (int i = 0; i < options.trainRows; ++i) {
    const int label = gen.label(rareLeft, options.trainRows - i);
    if (label == kRareLabel) --rareLeft;
    Example ex = gen.example(label, "sample-train-" + std::to_string(i));
    ex.labelId = label;
    ex.sourceLine = i + 1;
    sample.train.rows.push_back(std::move(ex));
  }
  // A few rows carry offsets shifted by one, like the flaws of the real competition data.
  for (int k = 0; k < options.shiftedOffsets && k < options.trainRows; ++k) {
    auto& ex = sample.train.rows[static_cast<std::size_t>((k * 97 + 13) % options.trainRows)];
    if (ex.subject.start > 0) {
      ex.subject.start -= 1;
      ex.subject.end -= 1;
    } else {
      ex.subject.start += 1;
      ex.subject.end += 1;
    }
  }
  for (int i = 0; i < options.testRows; ++i) {
    const int label = gen.label(0, options.testRows - i);
    Example ex = gen.example(label, "sample-test-" + std::to_string(i));
    ex.label = kBlindLabel;
    ex.sourceLine = i + 1;
    sample.test.rows.push_back(std::move(ex));
  }
  return sample;
}

void writeCompetitionTsv(const Dataset& data, const std::string& path) {
  std::ofstream out(path, std::ios::binary);
  for (const auto& r : data.rows)
    out << r.id << '\t' << r.sentence << '\t' << r.subject.text << '\t' << r.subject.start << '\t' << r.subject.end
        << '\t' << r.object.text << '\t' << r.object.start << '\t' << r.object.end << '\t' << r.label << '\n';
  if (!out) throw std::runtime_error("cannot write " + path);
}

void writeSample(const SampleData& sample, const std::string& directory, bool overwrite) {
  namespace fs = std::filesystem;
  fs::create_directories(directory);
  const std::string train = directory + "/train.tsv", test = directory + "/test.tsv",
                    labels = directory + "/labels.tsv";
  if (!overwrite)
    for (const auto& p : {train, test, labels})
      if (fs::exists(p)) throw std::runtime_error(p + " exists; pass --force to replace it");
  writeCompetitionTsv(sample.train, train);
  writeCompetitionTsv(sample.test, test);
  sample.labels.writeFile(labels);
}

}  // namespace foldbench::data
