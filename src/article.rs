//! HTML → main text and metadata; plain text → paragraphs.
//!
//! Main-text selection works in the manner of readability/trafilatura: the page is flattened
//! into text blocks (paragraph-level elements), each block scores its container by length and
//! punctuation with low link density, the best container wins, and its blocks (plus those of
//! sibling containers that score well) are the article. Scripts, styles and forms are never
//! read; navigation, header, footer, aside and any element whose class or id names chrome
//! (rules/common/chrome.toml `[html]`) do not count, unless the page has nothing else.
//! Traversal is iterative, so nesting depth cannot overflow the stack.

use std::collections::HashMap;

use ego_tree::iter::Edge;
use ego_tree::NodeId;
use scraper::{Html, Node};

use crate::rules::Chrome;

/// What the article stage produces.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Article {
    pub title: Option<String>,
    pub url: Option<String>,
    pub published: Option<String>,
    pub author: Option<String>,
    /// A source credit found anywhere on the page ("Nguồn: <a href=…>"), with the link's target.
    pub source_url: Option<String>,
    /// Paragraphs of the main text, in order.
    pub paragraphs: Vec<String>,
}

/// Tags whose content is never text.
const SKIP: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed",
    "canvas", "select", "option", "textarea", "button", "input", "head", "video", "audio", "map",
];
/// Tags that are chrome by nature (unless inside <article>/<main>).
const CHROME_TAGS: &[&str] = &["nav", "header", "footer", "aside", "form", "menu", "dialog"];
/// Tags that start a new text block.
const BLOCK: &[&str] = &[
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "td",
    "th",
    "tr",
    "table",
    "tbody",
    "thead",
    "blockquote",
    "article",
    "section",
    "main",
    "figure",
    "figcaption",
    "pre",
    "dd",
    "dt",
    "dl",
    "address",
    "header",
    "footer",
    "nav",
    "aside",
    "form",
    "center",
    "body",
    "caption",
    "hr",
    "br",
    "details",
    "summary",
];
/// How many container ancestors a block remembers.
const CHAIN: usize = 16;

#[derive(Debug)]
struct Block {
    text: String,
    link_chars: usize,
    /// Nearest block-level ancestors, outermost first, at most CHAIN.
    chain: Vec<NodeId>,
    chrome: bool,
    /// Inside an element marked as the article's lead (sapo).
    lead: bool,
    tag: String,
    /// The target of the first link in the block.
    href: Option<String>,
}

/// Plain text: one paragraph per non-empty line.
pub fn from_text(text: &str) -> Article {
    Article {
        paragraphs: text
            .lines()
            .map(collapse_ws)
            .filter(|l| !l.is_empty())
            .collect(),
        ..Article::default()
    }
}

/// Does this look like HTML rather than plain text?
pub fn sniff_html(text: &str) -> bool {
    let head: String = text.chars().take(2048).collect::<String>().to_lowercase();
    let t = head.trim_start_matches(['\u{feff}', ' ', '\n', '\r', '\t']);
    t.starts_with("<!doctype html")
        || t.starts_with("<html")
        || t.starts_with("<?xml")
        || head.contains("<html")
        || head.contains("<body")
        || head.contains("<head")
        || (head.matches("<p>").count()
            + head.matches("<div").count()
            + head.matches("<br").count())
            >= 2
}

fn collapse_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() && c != '\u{00A0}' && c != '\u{202F}' || c == '\u{200B}' {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(if c == '\u{00A0}' { ' ' } else { c });
        }
    }
    out
}

fn is_chrome_attr(value: &str, words: &[String]) -> bool {
    let v = value.to_lowercase();
    v.split(|c: char| c.is_whitespace()).any(|cls| {
        words.iter().any(|w| {
            cls == w
                || cls.split(['-', '_']).any(|part| part == w)
                || ((w.contains('-') || w.contains('_')) && cls.contains(w.as_str()))
        })
    })
}

/// Deepest element nesting handed to the HTML parser. html5ever's tree builder does work
/// proportional to the depth for every element, so a page nested 100,000 levels deep would
/// take quadratic time; real articles never come near this.
pub const MAX_DEPTH: usize = 256;

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "!doctype",
];

/// Drop the tags (not the text) that nest deeper than [`MAX_DEPTH`]. One linear pass over the
/// markup; script, style and comments are copied through untouched.
pub fn cap_nesting(html: &str) -> std::borrow::Cow<'_, str> {
    let b = html.as_bytes();
    let mut out = String::new();
    let mut depth = 0usize;
    let mut excess = 0usize;
    let mut copied = 0usize; // bytes of `html` already handled
    let mut i = 0usize;
    let mut changed = false;
    while let Some(off) = html[i..].find('<') {
        let lt = i + off;
        let rest = &html[lt..];
        if rest.starts_with("<!--") {
            i = rest.find("-->").map(|e| lt + e + 3).unwrap_or(b.len());
            continue;
        }
        let closing = rest.starts_with("</");
        let name_start = lt + if closing { 2 } else { 1 };
        let name: String = html[name_start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '!')
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() {
            i = lt + 1;
            continue;
        }
        let Some(gt) = html[lt..].find('>').map(|g| lt + g) else {
            break;
        };
        let self_closing = html[..gt].ends_with('/');
        if !closing && (name == "script" || name == "style") {
            let close = format!("</{name}");
            let lower_rest = html[gt..].to_ascii_lowercase();
            i = lower_rest.find(&close).map(|e| gt + e).unwrap_or(b.len());
            continue;
        }
        let mut drop = false;
        if !VOID.contains(&name.as_str()) && !self_closing {
            if closing {
                if excess > 0 {
                    excess -= 1;
                    drop = true;
                } else {
                    depth = depth.saturating_sub(1);
                }
            } else if depth >= MAX_DEPTH {
                excess += 1;
                drop = true;
            } else {
                depth += 1;
            }
        }
        if drop {
            if !changed {
                out.reserve(html.len());
                changed = true;
            }
            out.push_str(&html[copied..lt]);
            out.push(' ');
            copied = gt + 1;
        }
        i = gt + 1;
    }
    if !changed {
        return std::borrow::Cow::Borrowed(html);
    }
    out.push_str(&html[copied..]);
    std::borrow::Cow::Owned(out)
}

/// HTML → article. `chrome` supplies the class/id words.
pub fn from_html(html: &str, chrome: &Chrome) -> Article {
    let doc = Html::parse_document(&cap_nesting(html));
    let mut art = metadata(&doc);
    let blocks = flatten(&doc, chrome);
    // A source credit may sit anywhere (in a footer, as a link list): look at every block.
    art.source_url = blocks.iter().find_map(|b| {
        if b.text.chars().count() > 400 {
            return None;
        }
        let found = chrome.source_line(&b.text)?;
        match (found, &b.href) {
            (Some(u), Some(h))
                if !u.contains('/')
                    || h.starts_with(&u)
                    || u.len() < h.len() && h.contains(u.trim_start_matches("www.")) =>
            {
                Some(h.clone())
            }
            (Some(u), _) => Some(u),
            (None, h) => h.clone(),
        }
    });
    let chosen = choose(&blocks);
    // The page's own headline (h1) beats a <title> that adds the site's name after a
    // separator ("Headline | Báo X") or an og:title cut short.
    if let (Some(h1), Some(t)) = (blocks.iter().find(|b| b.tag == "h1"), art.title.as_ref()) {
        let h = h1.text.as_str();
        let site_suffix = t.strip_prefix(h).is_some_and(|rest| {
            [" | ", " - ", " – ", " — ", " :: ", " : ", " · "]
                .iter()
                .any(|sep| rest.starts_with(sep))
        });
        let cut_short = h.len() > t.len() && h.starts_with(t.trim_end_matches(['…', '.', ' ']));
        if site_suffix || cut_short {
            art.title = Some(h.to_string());
        }
    }
    let title = art.title.clone().unwrap_or_default();
    for b in chosen {
        if !title.is_empty() && b.tag == "h1" && b.text == title {
            continue;
        }
        art.paragraphs.push(b.text.clone());
    }
    if art.title.is_none() {
        art.title = blocks
            .iter()
            .find(|b| b.tag == "h1")
            .map(|b| b.text.clone());
    }
    art
}

/// Open element on the flattening stack.
struct Open {
    id: NodeId,
    block: bool,
    link: bool,
    chrome: bool,
    lead: bool,
    article: bool,
}

/// State of the flattening walk: the text gathered for the current block and the counters
/// of the elements it sits in.
#[derive(Default)]
struct Flattener {
    blocks: Vec<Block>,
    cur: String,
    cur_links: usize,
    cur_tag: String,
    cur_href: Option<String>,
    chain: Vec<NodeId>,
    chrome_depth: usize,
    lead_depth: usize,
    link_depth: usize,
    article_depth: usize,
}

impl Flattener {
    fn flush(&mut self) {
        let t = collapse_ws(&self.cur);
        if !t.is_empty() {
            let start = self.chain.len().saturating_sub(CHAIN);
            self.blocks.push(Block {
                link_chars: self.cur_links.min(t.chars().count()),
                text: t,
                chain: self.chain[start..].to_vec(),
                chrome: self.chrome_depth > 0,
                lead: self.lead_depth > 0,
                tag: if self.cur_tag.is_empty() {
                    "p".into()
                } else {
                    self.cur_tag.clone()
                },
                href: self.cur_href.take(),
            });
        }
        self.cur.clear();
        self.cur_links = 0;
        self.cur_href = None;
    }
}

fn flatten(doc: &Html, chrome: &Chrome) -> Vec<Block> {
    let words = &chrome.html_words;
    let mut f = Flattener::default();
    let mut stack: Vec<Open> = Vec::new();
    let mut skip: Option<NodeId> = None;
    for edge in doc.tree.root().traverse() {
        match edge {
            Edge::Open(node) => {
                if skip.is_some() {
                    continue;
                }
                match node.value() {
                    Node::Element(el) => {
                        let name = el.name();
                        let hidden = el.attr("hidden").is_some()
                            || el
                                .attr("style")
                                .is_some_and(|s| s.replace(' ', "").contains("display:none"));
                        if SKIP.contains(&name) || hidden {
                            skip = Some(node.id());
                            continue;
                        }
                        let block = BLOCK.contains(&name);
                        if block {
                            f.flush();
                            f.cur_tag = name.to_string();
                        }
                        if name == "br" || name == "hr" {
                            continue;
                        }
                        let article = name == "article" || name == "main";
                        if article {
                            f.article_depth += 1;
                        }
                        let tag_chrome = CHROME_TAGS.contains(&name)
                            && !(f.article_depth > 0 && (name == "header" || name == "footer"));
                        let attr_chrome =
                            el.attr("class").is_some_and(|c| is_chrome_attr(c, words))
                                || el.attr("id").is_some_and(|c| is_chrome_attr(c, words))
                                || el.attr("role").is_some_and(|r| {
                                    matches!(
                                        r,
                                        "navigation"
                                            | "banner"
                                            | "contentinfo"
                                            | "complementary"
                                            | "search"
                                    )
                                })
                                || name == "figcaption";
                        let chrome_here = tag_chrome || attr_chrome;
                        let lead = el
                            .attr("class")
                            .is_some_and(|c| is_chrome_attr(c, &chrome.lead_words))
                            || el
                                .attr("itemprop")
                                .is_some_and(|c| c.eq_ignore_ascii_case("description"));
                        let link = name == "a";
                        if link && f.cur_href.is_none() {
                            f.cur_href = el
                                .attr("href")
                                .filter(|h| h.starts_with("http"))
                                .map(str::to_string);
                        }
                        f.chrome_depth += chrome_here as usize;
                        f.lead_depth += lead as usize;
                        f.link_depth += link as usize;
                        if block {
                            f.chain.push(node.id());
                        }
                        stack.push(Open {
                            id: node.id(),
                            block,
                            link,
                            chrome: chrome_here,
                            lead,
                            article,
                        });
                    }
                    Node::Text(t) => {
                        if f.link_depth > 0 {
                            f.cur_links += t.chars().filter(|c| !c.is_whitespace()).count();
                        }
                        f.cur.push_str(t);
                    }
                    _ => {}
                }
            }
            Edge::Close(node) => {
                if let Some(s) = skip {
                    if s == node.id() {
                        skip = None;
                    }
                    continue;
                }
                if stack.last().is_none_or(|o| o.id != node.id()) {
                    continue;
                }
                let Some(o) = stack.pop() else { continue };
                if o.block {
                    f.flush();
                    f.chain.pop();
                }
                f.link_depth -= o.link as usize;
                f.chrome_depth -= o.chrome as usize;
                f.lead_depth -= o.lead as usize;
                f.article_depth -= o.article as usize;
            }
        }
    }
    f.flush();
    f.blocks
}

fn link_density(b: &Block) -> f64 {
    let n = b.text.chars().count().max(1);
    b.link_chars as f64 / n as f64
}

fn block_score(b: &Block) -> f64 {
    let n = b.text.chars().count();
    if n < 25 || link_density(b) > 0.5 {
        return 0.0;
    }
    let punct = b.text.matches([',', '.', ';', '،', '。']).count();
    (1.0 + punct.min(12) as f64 + (n as f64 / 80.0).min(4.0)) * (1.0 - link_density(b))
}

/// Pick the article's blocks.
fn choose(blocks: &[Block]) -> Vec<&Block> {
    let content_chars: usize = blocks
        .iter()
        .filter(|b| !b.chrome)
        .map(|b| b.text.chars().count())
        .sum();
    // A page that is all "chrome" by our words is better read than lost.
    let use_chrome = content_chars < 200;
    let eligible = |b: &Block| use_chrome || !b.chrome;

    // Containers in order of first appearance, so that ties break the same way every run.
    let mut index: HashMap<NodeId, usize> = HashMap::new();
    let mut scores: Vec<(NodeId, f64)> = Vec::new();
    let mut parent: HashMap<NodeId, Option<NodeId>> = HashMap::new();
    let mut credit = |id: NodeId, s: f64, scores: &mut Vec<(NodeId, f64)>| {
        let i = *index.entry(id).or_insert_with(|| {
            scores.push((id, 0.0));
            scores.len() - 1
        });
        scores[i].1 += s;
    };
    for b in blocks.iter().filter(|b| eligible(b)) {
        for (i, id) in b.chain.iter().enumerate() {
            parent
                .entry(*id)
                .or_insert(if i > 0 { Some(b.chain[i - 1]) } else { None });
        }
        let s = block_score(b);
        if s == 0.0 {
            continue;
        }
        let n = b.chain.len();
        // The block element itself is chain[n-1]; credit its container and the one above.
        if n >= 2 {
            credit(b.chain[n - 2], s, &mut scores);
        } else if n == 1 {
            credit(b.chain[0], s, &mut scores);
        }
        if n >= 3 {
            credit(b.chain[n - 3], s / 2.0, &mut scores);
        }
    }
    let mut best_at: Option<usize> = None;
    for (i, (_, s)) in scores.iter().enumerate() {
        if best_at.is_none_or(|b| *s > scores[b].1) {
            best_at = Some(i);
        }
    }
    let Some((best, best_score)) = best_at.map(|i| scores[i]) else {
        // No scored text at all: keep every eligible block that is not mostly links.
        return blocks
            .iter()
            .filter(|b| eligible(b) && link_density(b) < 0.5)
            .collect();
    };
    let best_parent = parent.get(&best).copied().flatten();
    let mut containers = vec![best];
    if let Some(p) = best_parent {
        for &(c, s) in &scores {
            if c != best
                && parent.get(&c).copied().flatten() == Some(p)
                && s >= (best_score * 0.2).max(10.0)
            {
                containers.push(c);
            }
        }
    }
    // The lead (sapo) often sits outside the main container, before it.
    let first_in = blocks
        .iter()
        .position(|b| eligible(b) && b.chain.iter().any(|id| containers.contains(id)))
        .unwrap_or(0);
    blocks
        .iter()
        .enumerate()
        .filter(|(i, b)| {
            eligible(b)
                && (b.chain.iter().any(|id| containers.contains(id))
                    || (b.lead
                        && *i < first_in
                        && b.text.chars().count() >= 40
                        && link_density(b) < 0.3))
        })
        .map(|(_, b)| b)
        .filter(|b| {
            let ld = link_density(b);
            ld < 0.5 || (b.text.chars().count() > 200 && ld < 0.6)
        })
        .collect()
}

/// Title, canonical URL, publication time and author from the page's metadata.
fn metadata(doc: &Html) -> Article {
    let mut a = Article::default();
    let mut title_tag = None;
    let mut og_title = None;
    let mut canonical = None;
    let mut og_url = None;
    let mut published: Vec<(u8, String)> = Vec::new();
    let mut author = None;
    let mut byline = None;
    let mut open_title = false;
    for edge in doc.tree.root().traverse() {
        let Edge::Open(node) = edge else {
            if let Edge::Close(n) = edge {
                if let Node::Element(el) = n.value() {
                    if el.name() == "title" {
                        open_title = false;
                    }
                }
            }
            continue;
        };
        match node.value() {
            Node::Element(el) => {
                let attr = |k: &str| el.attr(k).map(str::trim).filter(|v| !v.is_empty());
                match el.name() {
                    "title" => open_title = title_tag.is_none(),
                    "meta" => {
                        let key = attr("property")
                            .or_else(|| attr("name"))
                            .or_else(|| attr("itemprop"))
                            .unwrap_or("")
                            .to_lowercase();
                        let Some(content) = attr("content") else {
                            continue;
                        };
                        match key.as_str() {
                            "og:title" | "twitter:title" => {
                                og_title = og_title.or(Some(content.to_string()))
                            }
                            "og:url" => og_url = og_url.or(Some(content.to_string())),
                            "article:published_time" | "datepublished" | "og:published_time" => {
                                published.push((0, content.to_string()))
                            }
                            "pubdate" | "publishdate" | "publish-date" | "date" | "dc.date"
                            | "dc.date.issued" | "article.published" | "sailthru.date"
                            | "parsely-pub-date" => published.push((1, content.to_string())),
                            "author" | "article:author" | "dc.creator" | "byl"
                                if !content.starts_with("http") =>
                            {
                                author = author.or(Some(content.to_string()));
                            }
                            _ => {}
                        }
                    }
                    "link" => {
                        if attr("rel").is_some_and(|r| r.eq_ignore_ascii_case("canonical")) {
                            canonical = canonical.or(attr("href").map(str::to_string));
                        }
                    }
                    "time" => {
                        if let Some(dt) = attr("datetime") {
                            published.push((2, dt.to_string()));
                        }
                    }
                    _ => {
                        if byline.is_none() {
                            let cls = format!(
                                "{} {}",
                                el.attr("class").unwrap_or(""),
                                el.attr("itemprop").unwrap_or("")
                            )
                            .to_lowercase();
                            if cls.split_whitespace().any(|c| {
                                matches!(
                                    c,
                                    "author"
                                        | "byline"
                                        | "author-name"
                                        | "article-author"
                                        | "tacgia"
                                        | "tac-gia"
                                        | "news-author"
                                        | "detail-author"
                                )
                            }) {
                                let t = collapse_ws(&node_text(node));
                                if !t.is_empty() && t.chars().count() <= 60 {
                                    byline = Some(t);
                                }
                            }
                        }
                    }
                }
            }
            Node::Text(t) if open_title => {
                let t = collapse_ws(t);
                if !t.is_empty() {
                    title_tag = Some(t);
                }
                open_title = false;
            }
            _ => {}
        }
    }
    a.title = og_title.or(title_tag).map(|t| collapse_ws(&t));
    a.url = canonical.or(og_url).filter(|u| u.starts_with("http"));
    published.sort_by_key(|(p, _)| *p);
    a.published = published
        .into_iter()
        .find_map(|(_, v)| normalize_timestamp(&v));
    a.author = author.or(byline).map(|t| collapse_ws(&t));
    a
}

/// Text content of a subtree, iteratively.
fn node_text(node: ego_tree::NodeRef<'_, Node>) -> String {
    let mut s = String::new();
    for d in node.descendants() {
        if let Node::Text(t) = d.value() {
            s.push_str(t);
            s.push(' ');
        }
    }
    s
}

/// An ISO-ish timestamp from metadata: kept whole when it has a time, else `YYYY-MM-DD`.
pub fn normalize_timestamp(v: &str) -> Option<String> {
    let v = v.trim();
    let b = v.as_bytes();
    if b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit)
    {
        let month: u32 = v[5..7].parse().ok()?;
        let day: u32 = v[8..10].parse().ok()?;
        if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
            return None;
        }
        if b.len() > 10 && (b[10] == b'T' || b[10] == b' ') && b.len() >= 16 {
            return Some(v.replacen(' ', "T", 1));
        }
        return Some(v[..10].to_string());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chrome() -> Chrome {
        crate::rules::RuleSet::embedded()
            .expect("built-in rules load")
            .chrome
    }

    #[test]
    fn main_text_survives_and_menus_do_not() {
        let html = r#"<html><head><title>T</title><link rel="canonical" href="https://example.vn/a.html">
<meta property="article:published_time" content="2024-03-21T08:15:00+07:00"><meta name="author" content="Hà Trang"></head>
<body><nav><ul><li><a href="/">Trang chủ</a></li><li><a href="/tt">Tin tức</a></li></ul></nav>
<div class="sidebar"><h3>Tin đọc nhiều</h3><ul><li><a href="/x">Một tin khác rất dài để thử nghiệm chiều dài, có dấu phẩy.</a></li></ul></div>
<div class="detail-content"><p>Chiều 20/3, Khối thi đua các cơ quan Đảng tỉnh tổ chức hội nghị ký kết giao ước thi đua năm 2024.</p>
<p>Tham dự hội nghị có lãnh đạo các đơn vị thành viên, gồm 9 đơn vị, cùng đại diện Ban Thi đua - Khen thưởng tỉnh.</p>
<script>var s = "Khối thi đua giả mạo trong script";</script></div>
<footer>© 2024 Báo Quảng Trị. Địa chỉ: 01 Hùng Vương</footer></body></html>"#;
        let a = from_html(html, &chrome());
        let text = a.paragraphs.join("\n");
        assert!(text.contains("ký kết giao ước thi đua năm 2024"), "{text}");
        assert!(text.contains("gồm 9 đơn vị"));
        assert!(!text.contains("Trang chủ"));
        assert!(!text.contains("Tin đọc nhiều"));
        assert!(!text.contains("giả mạo"));
        assert!(!text.contains("Hùng Vương"));
        assert_eq!(a.url.as_deref(), Some("https://example.vn/a.html"));
        assert_eq!(a.published.as_deref(), Some("2024-03-21T08:15:00+07:00"));
        assert_eq!(a.author.as_deref(), Some("Hà Trang"));
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let n = 100_000;
        let html = format!(
            "{}<p>Khối thi đua tổ chức hội nghị, với nhiều đơn vị tham dự.</p>{}",
            "<div>".repeat(n),
            "</div>".repeat(n)
        );
        let a = from_html(&html, &chrome());
        assert!(a.paragraphs.iter().any(|p| p.contains("Khối thi đua")));
    }

    #[test]
    fn nesting_is_capped_but_text_kept() {
        let html = format!("{}deep text{}", "<div>".repeat(1000), "</div>".repeat(1000));
        let capped = cap_nesting(&html);
        assert_eq!(capped.matches("<div>").count(), MAX_DEPTH);
        assert_eq!(capped.matches("</div>").count(), MAX_DEPTH);
        assert!(capped.contains("deep text"));
        let shallow = "<p>a</p><br><script>if (a<b) {}</script>";
        assert!(matches!(
            cap_nesting(shallow),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn sniffing() {
        assert!(sniff_html("<!DOCTYPE html><html><body>x</body></html>"));
        assert!(sniff_html("  <div><p>a</p><p>b</p></div>"));
        assert!(!sniff_html("Khối thi đua tổ chức hội nghị <3 lần"));
    }

    #[test]
    fn timestamps() {
        assert_eq!(
            normalize_timestamp("2024-03-21").as_deref(),
            Some("2024-03-21")
        );
        assert_eq!(
            normalize_timestamp("2024-03-21 08:15:00").as_deref(),
            Some("2024-03-21T08:15:00")
        );
        assert_eq!(normalize_timestamp("21/03/2024"), None);
        assert_eq!(normalize_timestamp("2024-13-01"), None);
    }
}
