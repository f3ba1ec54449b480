// tools/pocheck/html_report.cpp: the escaping of every text from the
// postoffice, and the page built from a checklist with hostile names.
#include <catch2/catch.hpp>

#include <string>

#include "html_report.hpp"
#include "mspo/base/check_table.hpp"
#include "mspo/base/utf8.hpp"

using namespace mspo;
using pocheck::html_text;

namespace {

std::size_t count_of(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto p = text.find(what); p != std::string::npos; p = text.find(what, p + 1)) ++n;
    return n;
}

const std::string kHostile = "<script>alert(\"x&y\")</script>'\x1b[31m\xff\xfe\x01\xe2\x80\xae";

}  // namespace

TEST_CASE("html_text: markup characters become references", "[pocheck][html]") {
    CHECK(html_text("") == "");
    CHECK(html_text("ALICE") == "ALICE");
    CHECK(html_text("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&#39;");
    CHECK(html_text("&amp;") == "&amp;amp;");
    CHECK(html_text("M:\\MAILDATA") == "M:\\MAILDATA");
    CHECK(html_text("Müller") == "Müller");  // valid UTF-8 stays
}

TEST_CASE("html_text: control bytes and invalid UTF-8 shown as text", "[pocheck][html]") {
    CHECK(html_text(std::string("a\0b", 3)) == "a\\x00b");
    CHECK(html_text("\x1b[2J") == "\\x1b[2J");
    CHECK(html_text("line\nnext") == "line\\x0anext");
    CHECK(html_text("\xff\xfe") == "\\xff\\xfe");
    CHECK(html_text("\xc3") == "\\xc3");            // a cut-off sequence
    CHECK(html_text("\xe2\x80\xae") == "\\u202e");  // a bidirectional override
    CHECK(html_text("\xc2\x9b") == "\\u009b");      // a C1 control
    const std::string hostile = html_text(kHostile);
    CHECK(hostile.find('<') == std::string::npos);
    CHECK(hostile.find('>') == std::string::npos);
    CHECK(hostile.find('"') == std::string::npos);
    CHECK(hostile.find('\'') == std::string::npos);
    CHECK(hostile.find('\x1b') == std::string::npos);
    CHECK(is_valid_utf8(hostile));
    // Every & starts a reference.
    for (auto p = hostile.find('&'); p != std::string::npos; p = hostile.find('&', p + 1))
        CHECK(hostile.find(';', p) - p <= 5);
}

TEST_CASE("html page: a hostile name is text, long lists are capped and counted", "[pocheck][html]") {
    pocheck::Options options;
    options.common.postoffice = "/po/<b>";
    pocheck::Checklist list;
    pocheck::Step step;
    step.number = 4;
    step.title = "Damaged access files";
    step.verdict = pocheck::Verdict::problem;
    step.saw.push_back("mailbox " + kHostile);
    step.fix = "listuser --fix " + kHostile;
    for (std::size_t i = 0; i < 250; ++i) {
        list.findings.push_back(
            make_finding(CheckId::access_count_mismatch, "GLB/" + kHostile, i, i * 10, "bad " + kHostile));
        step.findings.push_back(i);
    }
    list.steps.push_back(step);
    pocheck::Step models;
    models.number = 8;
    models.title = "Model report";
    models.saw.push_back("KEY model supported: 12 of 12 fit");
    list.steps.push_back(models);

    pocheck::HtmlData data;
    data.survey_error = "cannot read " + kHostile;
    data.accounts = Accounts{};
    for (std::uint64_t i = 0; i < 30; ++i) {
        Account a;
        a.index = i;
        a.mailbox_utf8 = "USER" + std::to_string(i) + kHostile;
        a.mailbag_text = "0000002A";
        a.mailbag = 0x2a;
        data.accounts->accounts.push_back(a);
    }
    pocheck::HtmlLimits limits;
    limits.accounts = 10;
    limits.findings_per_check = 100;
    const std::string page = pocheck::html_check_page(options, list, data, limits);

    CHECK(page.rfind("<!DOCTYPE html>", 0) == 0);
    CHECK(page.find("</html>") != std::string::npos);
    CHECK(page.find("<script") == std::string::npos);
    CHECK(page.find("\x1b") == std::string::npos);
    CHECK(page.find("<b>") == std::string::npos);
    CHECK(page.find("http://") == std::string::npos);  // nothing fetched
    CHECK(is_valid_utf8(page));
    CHECK(count_of(page, "&lt;script&gt;alert(&quot;x&amp;y&quot;)") >= 100);
    CHECK(page.find("access.count-mismatch") != std::string::npos);
    CHECK(page.find("and 150 more of this check not drawn") != std::string::npos);
    CHECK(page.find("and 20 more account(s)") != std::string::npos);
    CHECK(page.find("KEY model supported: 12 of 12 fit") != std::string::npos);
    CHECK(page.find("The mailbags could not be surveyed") != std::string::npos);
    CHECK(page.find("&#10008;") != std::string::npos);  // the problem's cross
    CHECK(page.find("&#10004;") != std::string::npos);  // step 8's check mark
}

TEST_CASE("html page: --fix shows before, after, snapshots and undo commands", "[pocheck][html]") {
    pocheck::Options options;
    options.common.postoffice = "/po";
    options.fix = true;
    pocheck::FixRun run;
    pocheck::Step step;
    step.number = 2;
    step.name = "P1 files";
    step.title = "P1 files older than 2 days";
    step.verdict = pocheck::Verdict::problem;
    run.before.steps.push_back(step);
    step.verdict = pocheck::Verdict::ok;
    run.after = pocheck::Checklist{};
    run.after->steps.push_back(step);
    pocheck::FixStep fix;
    fix.tool = "p1clean";
    fix.what = "P1 files over 2 days old (step 2)";
    fix.state = pocheck::FixStep::State::done;
    fix.report = Report{};
    fix.report->snapshot = "/snaps/<x>-p1clean.tar.gz";
    run.fixes.push_back(fix);
    const std::string page = pocheck::html_fix_page(options, run, pocheck::HtmlData{});
    CHECK(page.find("porestore /snaps/&lt;x&gt;-p1clean.tar.gz /po") == std::string::npos);  // shell-quoted
    CHECK(page.find("porestore &quot;/snaps/&lt;x&gt;-p1clean.tar.gz&quot; /po") != std::string::npos);
    CHECK(page.find("<h3>Before</h3>") != std::string::npos);
    CHECK(page.find("<h3>After</h3>") != std::string::npos);
    CHECK(page.find("<x>") == std::string::npos);
}
