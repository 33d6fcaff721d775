"""Word and pattern tables of the clean stage: what page furniture, bylines, dates and labels look like across the
sites and languages this project reads. The algorithms (pagelines, pageheader, pagetext) use them and hold no strings
of their own, so a new language or template is a change here. See docs/clean.md.
"""

from __future__ import annotations

import re

# Function words: their share tells prose from title-case menus and labels.
STOPWORDS = frozenset(
    """a an the and or but if of in on at to for from by with as is are was were be been being has have had do does
    did not no that this these those it its he she they we you i his her their our your who whom which what when where
    why how than then there here will would can could should may might must shall also into over under about after
    before between through during against without within upon so such only very more most other some any all each both
    de la le les des et du en un une est el los las y que del por para con au aux sur pas pour dans qui
    der die das und ist nicht ein eine mit den sich auf dem des im zu von für es als auch an bei nach wie aus oder
    wird werden hat sind war
    и в во не что на с со как а то все она так его но к у же за бы по только ее от из о об для при до без под
    над это этот эти был была были будет который которые также уже или ни ли если чтобы он они мы вы""".split()
)

# Words of page controls: a line made only of these (plus numbers, timecodes, separators) is a UI control.
# A template's list glyph before each header field ('• 이주호 기자' / '• 등록 2025-01-23 09:07:30').
FIELD_GLYPH = re.compile(r"^[•▪■□○◆◇▶►]\s*")

# Inside an inline box of related stories: a word of a comment section (the box reaches the comments, so it ends the
# text), and a pointer to one related story ('READ MORE: <headline>').
COMMENT_WORD = re.compile(r"\bcomments?\b|댓글|コメント|评论|評論|commentaires?|kommentare?|comentarios?", re.I)
READ_MORE_LEAD = re.compile(r"(?:read more|see also|also read|related)\s*:\s*\S", re.I)

# A name's suffix after a comma in a byline ('By Michael H. Markovitch, Esq.'): part of the name, no role.
NAME_SUFFIX = re.compile(r"\s*(?:Esq|Jr|Sr|Ph\.?\s?D|M\.?D|II|III)\.?\s*")

# A site's tagline, whatever the site ('Your daily news update on Africa', 'Your trusted source for local news and
# views since 1887'): it addresses the reader or states the founding year; no headline does both.
TAGLINE = re.compile(r"^your (?:daily|weekly|trusted|number one|no\. ?1|#1|best|first|favou?rite|premier|leading|local|"
                     r"independent|reliable|one[- ]stop|online|go-to)\b.{0,60}\b(?:news|source|updates?|guide|"
                     r"information|magazine|portal|voice)\b|\b(?:since|est\.|established(?: in)?|founded(?: in)?)"
                     r"(?: [A-Z][a-z]{2,8}\.?(?: \d{1,2},)?)? 1[89]\d\d$", re.I)  # ('Est. May 19, 1883')

# What a theme prints where a byline's name goes when the post has no real author ('Posted by Admin', 'Written by Staff').
TEMPLATE_NAMES = frozenset("admin administrator staff editor editors webmaster guest team user anonymous".split())

# A slash date whose day and month could be swapped (03/05/2018): read only where the page's language says which.
AMBIGUOUS_SLASH = re.compile(r"^(?:0?[1-9]|1[0-2])/(?:0?[1-9]|1[0-2])/")

# A board's or a blog's counters ('댓글 0건 조회 41회 작성일 25-11-01 15:07', 'Views: 1,204 | Comments: 3'): a line that is
# nothing else (with its date) is furniture, never a headline ('KOSPI hits 3,000', 'tops 1,000,000 views' are headlines).
COUNTER = re.compile(r"(?:댓글|조회수?|추천|비추천|공감|views?|hits|reads|comments?|likes?)\s*[:：]?\s*\d[\d,]*\s*(?:건|회|개)?"
                     r"|\d[\d,]*\s*(?:views?|hits|reads|comments?|likes?)\b|작성일|작성자|등록일|조회수?|"
                     r"\d{2,4}[-./]\d{1,2}[-./]\d{1,2}\.?|\d{1,2}:\d{2}(?::\d{2})?", re.I)
VIEW_COUNT = re.compile(r"(?:조회수?|views?|hits|reads)\s*[:：]?\s*\d|\d[\d,]*\s*(?:views?|hits|reads)\b", re.I)

# A print or share button the copy glued after a headline ('政府、北朝鮮に抗議 ... ミサイル発射 印刷').
TRAILING_BUTTON = re.compile(r"\s+(?:print|印刷|인쇄|打印|imprimer|drucken|imprimir|печать)$"
                             r"|\s*\|\s*(?:share|print|email|tweet|공유|인쇄)$", re.I)  # ('share', '공유' end real headlines)

UI_WORDS = frozenset(
    """listen play pause stop resume mute unmute volume download mp3 mp4 audio video podcast embed share shares shared
    print printer printable email e-mail mail tweet facebook twitter x linkedin whatsapp telegram reddit pinterest
    copy link links url save saved bookmark now watch subscribe unsubscribe follow like likes comment comments reply replies report
    back to top skip content main navigation nav menu search home login log sign signin in out up register account
    close open toggle next previous prev more less show hide expand collapse adjust font size text a+ a- zoom view full
    screen fullscreen transcript read reading time minute minutes min sec seconds rss feed app apps get the this
    page article story on via send friend or and of kb mb file pdf translate language english 한국어 공유 인쇄 목록
    이메일 댓글 듣기 재생 바로가기 컨텐츠 콘텐츠 본문 위로 아래로 댓글로 가기 다운로드 구독 스크랩 글자크기 맨위로 top シェア 印刷 共有 分享 打印 收藏 поделиться печать слушать partager imprimer écouter
    teilen drucken anhören compartir imprimir escuchar 페이스북 트위터 카카오톡 밴드 url복사 크게 작게 카카오스토리
    네이버 프린트 스크랩하기 打印 評論 评论 推薦 推荐 關閉 关闭 我要評論 我要评论 字號 字号 轉載 转载 ポスト いいね
    twitter facebook e-mail telegram 첨부파일 첨부 attachment attachments 附件 添付 donate""".split()
)

# A middle dot counts only beside a space: unspaced it joins words ('비상계엄·탄핵').
SEPARATORS = re.compile(r"\s*(?:\||•|\s·|·\s|\t| {2,}|/ )\s*")

# 'Home > News', 'Home » World': guillemets only between spaces ('«врагом» и' is a quotation).
BREADCRUMB = re.compile(r"\S\s*(?:>|→)\s*\S|\S\s+[›»]\s+\S")

FILESIZE = re.compile(r"\d+(?:\.\d+)?(?:kb|mb|k)")

TIMECODE = re.compile(r"^\d{1,2}:\d{2}(?::\d{2})?$")

TERMINAL = re.compile(r"[.!?…。！？]['\"”’)\]]*$|다\.?$|요\.?$")

HANGUL = re.compile(r"[\uac00-\ud7a3]")

CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7a3]")
# Chinese and Japanese characters: a wrapped line of them joins the next without a space.
HAN_KANA = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
# Chinese or Japanese, whose lines have no spaces to count words by: kana, or Han characters with no Hangul (Korean text
# may quote Hanja: '정치(精緻)').
UNSPACED = re.compile(r"[\u3040-\u30ff]|^(?!.*[\uac00-\ud7a3]).*[\u4e00-\u9fff]")

WORD = re.compile(r"[^\W\d_][\w'’.-]*", re.UNICODE)

# Footer/legal lines: one strong marker is enough.
LEGAL = re.compile(
    r"©|\(c\)\s*\d{4}|copyright|all rights reserved|privacy (?:polic(?:y|ies)|notice|statement)|terms (?:of|and) "
    r"(?:use|service|conditions)|cookie|disclaimer|저작권|무단 ?전재|재배포 ?금지|쿠키|개인정보 ?(?:보호 ?)?(?:정책|처리 ?방침)|이용 ?약관"
    r"|^(?:attachments?|enclosures?|붙임|첨부)\s*[:：]",
    re.I,
)

# A site's colophon: "... Website at www.x.gov maintained by the Bureau of ...".
COLOPHON = re.compile(r"\b(?:web ?site|site|portal)\b.{0,80}\b(?:maintained|managed|operated|hosted|run) by\b", re.I)

# A name's lower-case particle opening a line ('de Blasio', 'van Gogh', 'von der Leyen', 'al-Assad'): no function word.
NAME_PARTICLE = re.compile(r"^(?:de|del|della|di|da|du|des|van|von|der|den|le|la|al|el|bin|ibn|ben)[\s-]+(?:\w+\s+)?[A-Z]")
# The heavy glyphs Korean and Japanese papers set before a subheading ('■학생들과의 진솔한 소통', '◆成田空港...').
HEADING_GLYPH = re.compile(r"^[■◆◇]\s*\S")
# List glyphs at a paragraph's start (Korean releases mark paragraphs with them): not text to read out.
# ('*' only before a space: '*No forced return' under a text is the note an asterisk in it refers to.)
# (a Latin 'o' or Hangul 'ㅇ' before Korean text is the circle glyph typed on a keyboard: 'o 정부는 ...')
BULLET = re.compile(r"^(?:[□■○●◦•◆◇▶▷►※∙·]\s*|[-–*]\s+|[oㅇ]\s+(?=[\uac00-\ud7a3]))(?=\S)")

# A site speaking about itself ("this site", "our website"): with a legal marker, a disclaimer however long.
SITE_SELF = re.compile(r"\b(?:this|our|the) (?:web ?)?(?:site|portal|pages?)\b|이 (?:웹)?사이트|본 사이트", re.I)

# Calls to act: subscribe, sign up, donate, follow us (connect with us), download the app.
PROMPT = re.compile(
    r"^(?:subscribe|sign up|join (?:us|our)|support (?:us|our)|donate|follow us|connect with us|find us on"
    r"|get (?:our|the) (?:app|newsletter|"
    r"latest)|download (?:our|the) app|become a (?:member|subscriber)|already a subscriber|create (?:a|an|your) "
    r"(?:free )?account|enter your email|newsletter|thanks? (?:you )?for (?:reading|subscribing|signing up)"
    # a newsletter box's lines: 'Get The Daily Illini in your inbox!', '... Delivered every weekday.'
    r"|get .{1,40} (?:in|to|straight to) your inbox|.{0,120}\bdelivered (?:every|each) (?:day|weekday|week|morning|"
    r"evening|monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?=\.?$)"
    r"|join \S+ (?:telegram|whatsapp) channel|for (?:all )?the latest (?:news|headlines|updates),? (?:follow|join|subscribe)"
    r"|follow (?:us|our) .{0,40}(?:channel|google news|whatsapp|telegram)|this (?:article|content) is (?:only )?(?:for|reserved for) (?:subscribers|members)"
    # the same paywall prompts in French, German and Spanish
    r"|cet article est réservé|je m'abonne|déjà abonné|abonnez-vous|jetzt abonnieren|bereits abonniert|suscríbete"
    r"|contenido exclusivo para suscriptores)\b",
    re.I,
)

# Photo/image credits and captions that name their credit (also a caption ending in its credit: '... April 15, 2017.
# © 2017 Reuters/Aly Song', '... in central Pyongyang (Photo: NK Leadership Watch).', '북한 새 미사일/사진=머니투데이DB |').
CREDIT = re.compile(
    r"^(?:\(?(?:photo|photograph|image|picture|file photo|illustration|graphic|video|credit|source image|caption|cutline)s?"
    r"(?: by| credit| courtesy)?\s*[:/(]|(?:photo|image)s? (?:by|courtesy of)\b|사진\s*[=:]|фото\s*:"
    r"|(?:photo|image|picture|video)\s+(?:caption|source|credit)s?\s*[,:])"
    r"|(?:/|\()\s*(?:getty images|ap|afp|reuters|epa|yonhap|xinhua|kcna|shutterstock)(?:\s+file(?:\s+photo)?)?\)?\s*$"
    r"|[©ⓒ]\s*(?:\d{4}\s+)?[^\s/©ⓒ][^/©ⓒ.]{0,40}/\s*[^/©ⓒ.]{2,40}$"
    r"|\((?:(?:photo|image|picture|credit)s?\s*[:=]|사진\s*[:=])[^()]{2,60}\)\.?\s*\|?\s*$|[\s/](?:자료)?사진\s*=\s*\S{1,20}(?:\s*\|)?$"
    r"|^.{0,60}\[\s*(?:자료\s*)?사진\s*[=:][^\]]{1,30}\]\s*\|?\s*$"  # a caption: '... 성명을 냈다.[사진=연합뉴스TV] |'

    r"|[.\s](?-i:PHOTO|IMAGE|PICTURE|FOTO)S?\s*:\s*[^:.]{2,40}$"
    r"|[.!?]\s+(?:image|photo|picture|video)s?\s+(?:by|courtesy of)\s+[^.]{2,50}$"  # '... over Japan. Image by X/AAP'
    r"|^.{0,60}\(사진\s+[^()=:]{2,30}\)\s*\|?\s*$",  # a short caption '▲... 회의 모습(사진 동대문 이슈) |', not a sentence

    re.I,
)

# A wire photo's caption, however long ('... during a visit to a military farm in this photo released by the Korean
# Central News Agency on Oct. 9, 2019.'): the agencies' formula.
WIRE_CAPTION = re.compile(r"\bin this (?:undated |handout |file |combination |)(?:photo|picture|image|photograph)s?"
                          r"(?: \w+)?,? (?:released|taken|provided|distributed|made available|issued|obtained)\b"
                          r"(?=.*\b(?:19|20)\d\d\b)", re.I)  # (with the date it was released: a police appeal has none)

# A time stamp relative to now ('Published 22 hours ago', '3 min ago'): no date to read, and neither header nor text.
RELATIVE_TIME = re.compile(
    r"^(?:(?:published|updated|posted|last updated)\s*:?\s+)?(?:\d{1,3}|an?|one)\s+"
    r"(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?)\s+ago\.?$", re.I)

# Section headings after which a page lists other content, not the article: nothing after them joins the body.
AFTER_ARTICLE = re.compile(
    r"^(?:related(?: articles| stories| posts| content| coverage| news)?|read more|more (?:from|on|in|stories|"
    r"news)\b.*|more like this|you (?:may|might) also like|recommended(?: for you| stories)?|most (?:read|popular|"
    r"viewed|shared)|trending(?: now)?|latest (?:news|stories)|see also|further reading|also read|top stories|"
    r"editor'?s picks|관련\s*기사|많이 본 기사|추천 기사|함께 보면 좋은 기사|читайте также|по теме|(?:à )?lire aussi|"
    r"lesen sie auch|mehr zum thema|lea también|te puede interesar|更多\S{0,4}(?:新聞|新闻|要聞|要闻)|相關新聞|相关新闻|関連記事|"
    r"(?:foot|end)?notes|references|about the author"
    r"|about (?:the |us\b).*)\s*(?::|\.\.\.|…)?$"
    r"|^(?:#{3}|-30-|-\s*(?:end|ends)\s*-|ends)$",  # a release's end mark
    re.I,
)

# Start of a comment section: everything after it is readers' text.
COMMENTS = re.compile(
    r"^(?:[(\[]\s*\d+\s+comments?\s*[)\]]|"  # '[ 167 comments ]'
    r"[(\[]?\d+[)\]]?\s+(?:comments?|responses?|replies|thoughts on\b.*)|comments?\s*\(?\d*\)?|(?:leave|post|add|write) "
    r"(?:a|your) (?:comment|reply|response)|join the (?:discussion|conversation)|discussion|reader comments|"
    r"what do you think\??|댓글\s*\(?\d*\)?|댓글\s*쓰기)\s*:?$",
    re.I,
)

BYLINE_PREFIX = re.compile(r"^(?:by|par|von|por|door|av|(?:written|posted|words|story|text|reporting|reported|compiled|edited|interview) by)"
                           r"\s+", re.I)

REPRINT = re.compile(
    r"(?:(?:originally|first)\s+(?:appeared|published|ran|was published)\s+(?:in|on|by)|"
    r"^(?i:read the full (?:article|story|piece|op-?ed|editorial|column)) (?:in|at|on))\s+(?:the\s+)?"
    r"(?P<src>[A-Z][\w&'.-]*(?:\s+(?:[A-Z][\w&'.-]*|of|the|and|for))*)",
)

# A Korean wire dateline opening the first paragraph: '(서울=연합뉴스) 홍길동 기자 = 북한이 ...' names the agency and the
# reporter; it is header, not text to read out.
KO_WIRE = re.compile(
    r"^[\[(【]\s*[\uac00-\ud7a3A-Za-z ]{1,15}=\s*(?P<src>[^\])】=]{1,20}?)\s*[\])】]\s*"
    r"(?:(?P<name>[\uac00-\ud7a3]{2,4})\s*(?P<role>기자|특파원|선임기자|객원기자)\s*)?=?\s*(?=\S)")
# Its other shape, the outlet and the reporter inside the brackets: '(내외방송=정지원 기자) 통일부가 ...'.
KO_SOURCE_BYLINE = re.compile(r"^[\[(【]\s*(?P<src>[^\])】=\s][^\])】=]{0,18}?)\s*=\s*(?P<name>[\uac00-\ud7a3]{2,4})\s*"
                              r"(?P<role>기자|특파원|선임기자|객원기자)\s*[\])】]\s*(?=\S)")

# A Korean reporter's byline in brackets, opening the text or alone under it ('[뉴스명 홍길동 기자] 북한이 ...',
# '[ 신문 / 지역 = 홍길동 기자 ]'): the author. The outlet named in it is the site itself on its own pages: no source.
KO_BRACKET_BYLINE = re.compile(r"^[\[【]\s*(?:[^\[\]【】=]{1,20}?(?:\s*[=/]\s*|\s+))?(?P<name>[\uac00-\ud7a3]{2,4})\s*"
                               r"(?P<role>기자|특파원|선임기자|객원기자|인턴기자|통신원)\s*[\]】]\s*")

# A Korean public board's field naming who posted ('작성자 : 홍보팀', '- 담당부서 : 홍보팀'), wherever the template
# prints it (often in a block under the text, past the pager): the author when no byline is found.
KO_BOARD_AUTHOR = re.compile(r"^(?:[-•·]\s*)?(?:작성자|작성\s?부서|담당\s?부서)\s*[:：]\s*(?P<a>[^\s:：|]{2,15})$")

# A line that only tells the reader to turn on scripts ('이 사이트의 기능을 ... 자바스크립트를 활성화 ...', 'Please enable
# JavaScript to view this page'): a control of the page, never text.
# So is one telling that the browser cannot play or show something ('Your browser doesn't support HTML5 video.').
SCRIPT_NOTICE = re.compile(r"(?=.*(?:javascript|자바\s?스크립트|ジャバスクリプト))"
                           r"(?=.*(?:enabl|activat|turn on|allow|browser|활성화|허용|브라우저|有効|ブラウザ))"
                           r"|(?=.*(?:browser|브라우저|ブラウザ|浏览器|瀏覽器|navigateur|navegador))"
                           r"(?=.*(?:does\s?n[o’']t support|do\s?n[o’']t support|not supported|is not supported|"
                           r"지원하지 않|지원되지 않|対応していません|サポートしていません|不支持|ne prend pas en charge|no (?:es )?compatible|no soporta))",
                           re.I)

# A sponsor's or affiliate notice over or under a post ('This shop has been compensated by ... #ad', 'This post may
# contain affiliate links.', '이 포스팅은 ... 원고료를 지원받아 작성'): a notice of the page, not text to read out.
DISCLOSURE = re.compile(r"^this (?:post|article|page|review|shop|content|story|video)\b[^.]{0,80}?"
                        r"\b(?:affiliate|sponsored|compensated|referral links?|paid (?:partnership|promotion)|gifted)\b"
                        r"|^(?:disclosure|disclaimer)\s*:[^.]{0,120}\b(?:affiliate|commission|sponsored|compensated)\b"
                        r"|(?:^|\s)#(?:ad|sponsored)(?:\s|$)"
                        r"|^이 (?:글|포스팅|포스트|리뷰)은\s.{0,60}?(?:원고료|협찬|제공받아|지원받아)", re.I)

# A screen reader's label for a menu ('SBS 뉴스 상단 메뉴', 'Main navigation', 'Footer menu'): a control, never text.
NAV_LABEL = re.compile(r"^.{0,30}(?:\bmenu|\bnavigation|메뉴|メニュー|菜单|選單)$", re.I)
# A skip link or accessibility notice ('Skip to main content', 'Please view the main text area of the page by skipping
# the main menu.', '본문 바로가기', '本文へスキップ'): a control for screen readers, never text nor a headline.
SKIP_LINK = re.compile(r"^(?=.{0,120}$).*\b(?:skip(?:ping)?|jump)(?: over| past)?(?: to)? (?:the )?(?:main |primary )?"
                       r"(?:content|menu|navigation|text|article)\b|^(?:본문|주요\s?메뉴|메뉴)\s?(?:으로\s?)?바로\s?가기"
                       r"|^本文へ(?:移動|スキップ|ジャンプ)|^跳(?:到|至|过)(?:主要)?(?:内容|正文|导航)|^zum inhalt(?: springen)?|"
                       r"^aller au contenu|^(?:saltar|ir) al contenido|^перейти к (?:содержанию|основному)", re.I)
# A line of hashtags ('#North Korea #missile #UN'): links to tag pages, never a headline.
HASHTAGS = re.compile(r"^(?:#[^\s#]+(?:\s+[^\s#]+){0,3}\s*){2,}$")
# A taxonomy heading alone on its line ('Tags', 'Etiquetas', '태그'): the line under it lists the tags.
TAXONOMY_HEADING = re.compile(r"^(?:tags?|categor(?:y|ies)|filed under|topics?|keywords?|related topics|schlagwörter|"
                              r"thèmes?|mots-clés|etiquetas|temas|태그|키워드|관련\s?태그|标签|標籤|タグ|キーワード)\s*[:：]?$", re.I)
# A page template's field label left alone on its line when its value was lost in the copy ('Date', 'Body'): a
# control, neither text nor one more label of a menu column.
FIELD_LABEL = re.compile(r"^(?:date|body|byline|summary|teaser|standfirst|dek|lede|본문|날짜)\s*:?$", re.I)

# A headline may end in an abbreviation's full stop ('... Annual Report on the D.P.R.K.', '... in the U.S.'): not a
# sentence's end.
ABBREV_END = re.compile(r"(?:(?:\b[A-Z]\.){2,}|\b(?:Inc|Corp|Co|Ltd|Jr|Sr|Bros)\.)['\"”’)»]*$")

# A link to the page in another language after a headline: 'Corée du Nord – ... [ja]', '... [中文]' (in brackets: a
# name's '(EN)' is part of it).
LANGUAGE_LINK = re.compile(
    r"\s*\[(?:en|fr|de|es|ja|ko|zh|ru|ar|pt|it|english|français|deutsch|español|日本語|中文|한국어|русский)\]\s*$",
    re.I)

# A lead-in to a link, not text: 'Read more from Gyoon Heo here:', 'Click here to read the full report:'.
LINK_LEAD = re.compile(r"^(?:read (?:more|the full|the rest)|click here|see (?:more|the full)|watch (?:the|more)|"
                       r"lire la suite|mehr (?:dazu|lesen)|leer más|더 보기|자세히 보기)\b.{0,80}[:：]\s*$", re.I)

# A date glued before the line's text by a dump ('date 2022-11-17 Seoul: North Korea fires ...'): a separate line.
# (A year and month only after the copy's 'date': '2024-25 budget ...' is a fiscal year.)
LEAD_ISO_DATE = re.compile(r"^(?:date\s+(?=(?:19|20)\d\d-(?:0[1-9]|1[0-2])\b)|(?=(?:19|20)\d\d-\d\d-\d\d))"
                           r"(?P<date>(?:19|20)\d\d-\d\d(?:-\d\d(?:[ T]\d{1,2}:\d\d(?::\d\d)?)?)?)\s+(?=\S)", re.I)

# A Korean wire dateline standing alone on a line, under or over the text: '【서울=뉴시스】', '(워싱턴=연합뉴스)'.
KO_WIRE_LINE = re.compile(r"^[\[(【]\s*[\uac00-\ud7a3A-Za-z ]{1,15}=\s*(?P<src>[^\])】=]{1,20}?)\s*[\])】]$")

# A byline of a name and an e-mail address: '이선아 [leesa@ytn.co.kr]', 'Jane Doe (jane.doe@example.org)'.
EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # an e-mail address, as bylines and date lines print one
EMAIL_BYLINE = re.compile(rf"^(?P<name>[^@\[\](){{}}<>|]{{2,40}}?)\s*[\[(<]?\s*{EMAIL}\s*[\])>]?$")

# A date line saying when the page was last changed ('dernière modification le 23/10/2018', 'Last updated: ...'):
# under the text, the page's date when it states no other.
# ('Site last updated ...' is about the whole site, not the page: SITE_WORD.)
SITE_WORD = re.compile(r"\b(?:site|website|portal|homepage)\b|사이트|홈페이지", re.I)
UPDATED = re.compile(r"\b(?:updated|last modified|modified|dernière modification|mis à jour|aktualisiert|zuletzt geändert|"
                     r"actualizado|обновлено)\b|최종\s*수정|最終更新", re.I)

# A post's meta line whose values the copy lost ('Posted on by', 'Published on'): still the header of one post.
POST_META = re.compile(r"^(?:posted|published|written|geschrieben|publié|publicado|작성)(?:\s+(?:on|by|in|am|von|le|par|el|por))*\s*:?$",
                       re.I)

# Footnote calls glued to the text ('...otherwise.[1] Surveys'): not words to read out.
FOOTNOTE = re.compile(r"(?<=[^\s\[])\[\d{1,3}\]")

MARKER = re.compile(r"^[\[【〔][^\]】〕]{1,12}[\]】〕]$|^◀[^▶]{1,12}▶$")
# A broadcast script's cue opening a line ('◀INT▶ 홍길동 \\/ 시민', '◀ANC▶'): a direction to the studio, not text.
CUE = re.compile(r"^◀[^▶]{1,12}▶")

# A line naming the publication outright ('Source: Yonhap', '출처: 통일부'), as releases and Article.to_text write it.
SOURCE_LINE = re.compile(r"^(?:source|출처)\s*[:：]\s*(?P<src>\S.{0,80})$", re.I)

# 'GENEVA (14 June 2022) -', 'SEOUL, May 5 (Yonhap) --', 'VIENNA, April 10, 2012 (WAFA) –'
# ('SEOUL, Oct 21, 2019, Yonhap. North Korea ...': a place in capitals and a date, the dateline's other shape)
PLACE_DATE = re.compile(r"^[A-Z][A-Z.'’ -]{1,40},\s*(?=\S)")
PLACE_DATE_ANY = re.compile(r"^[A-Z][\w.'’ -]{1,30}?,\s*(?=\S)")
DATELINE = re.compile(r"^[A-Z][A-Z.'’ -]{1,40}(?:,\s*[A-Z][\w.' ]{0,30}|\s*/\s*[A-Z][A-Z.'’ -]{1,30})?"  # ('NEW YORK / GENEVA')
                      r"\s*[,(][^()\n]{4,40}\)?(?:\s*\([^()\n]{2,30}\))?"
                      r"\s*[-–—]")
# A Spanish wire's dateline, accented capitals and a date in brackets before '.-' ('SEÚL, COREA DEL NORTE (28/MAY/2017).-
# ...'): read for its date only ('ÚLTIMA HORA (21:15).- ...' is an update's label, no dateline).
BRACKET_DATELINE = re.compile(r"^[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ.'’ -]{1,40}(?:,\s*[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ.' ]{0,30})?\s*\((?P<date>[^()\n]{6,30})\)\.-")

# Words of an organisation's name in an author field ('NJ Advance Media', 'CNN Business', 'Jerusalem Post Staff'):
# beside a person's name it is the publication, not a second author.
ORG_WORDS = frozenset(
    "media business insider news press post times magazine network group agency bureau staff wire wires services "
    "digital online daily herald journal tribune gazette reporters editors desk team nast futurism".split())

# A time stamp's label inside a byline line ('By Al Root Updated Nov. 19, 2019 8:21 am ET / Original ...'): the
# byline ends there when a date follows it.
STAMP_LABEL = re.compile(r"\s(?:last\s+)?(?:updated|published|posted|original|modified|first\s+published)\b", re.I)

# 'Released on May 5, 2008'; Korean wire footers give the release time with 송고 ('2024/01/24 09:12 송고').
RELEASE = re.compile(r"^(?:(?:released|published|issued|posted|dated|first published)\b|송고|.{0,40}\s송고\s*$)", re.I)

NAME_TOKEN = re.compile(r"^(?:[\uac00-\ud7a3]{2,5}|[^\W\d_][\w'’.-]*)$")

# Articles a publication's name may start with ('The New York Sun', 'Le Monde', 'Die Zeit').
ARTICLES = frozenset("the a an le la les l' der die das el los las il lo".split())

# A title printed before a speaker's name in a statement's header ('Ambassador Kelly Craft' over 'Permanent
# Representative'): not part of the name.
HONORIFIC = re.compile(r"^(?:(?:Deputy|Acting|Former|Alternate) )?(?:Ambassador|Secretary|Deputy Secretary|Under Secretary|Minister|Foreign Minister|"
                       r"Prime Minister|President|Vice President|Senator|Sen\.|Representative|Rep\.|Congressman|"
                       r"Congresswoman|Governor|Gov\.|Mayor|Commissioner|Chairman|Chairwoman|Chair|Judge|Justice|"
                       r"Dr\.?|Prof\.?|Professor|General|Gen\.|Admiral|Adm\.|Sir|Dame)\s+(?=[A-Z])")
PARTICLES = frozenset("de da di del du van von der den la le bin ibn al y".split())

# A briefing, statement or Q&A named in a headline, the date in brackets after it being the day it was given.
BRIEFING = re.compile(r"\b(?:point (?:de )?presse|conférence de presse|déclaration|press (?:briefing|conference|statement)|"
                      r"briefing|statement|remarks|Q&[AR]|Pressekonferenz|Erklärung|rueda de prensa|declaración)\b", re.I)
# A writer's social handle after the name ('Fahad Shabbir (@FahadShabbir)'): not part of it.
HANDLE = re.compile(r"\s*[(\[]@\w+[)\]]")
# ('김민서, 김진명 기자': two reporters share one title; only a reporter's: '[신년 대담] 김병연·양문수 교수' is a headline)
KO_BYLINE = re.compile(r"^(?:\[[^\]]*\]\s*)?(?P<name>[\uac00-\ud7a3]{2,4}(?:(?:\s*[,·]\s*[\uac00-\ud7a3]{2,4}){1,3}"
                       r"(?=\s+(?:기자|특파원|선임기자)(?:\s*[=\s]\s*\S+@\S+|\s*=)?\s*$))?)\s+(?P<role>기자|특파원|논설위원|선임기자|객원기자|"
                       r"칼럼니스트|연구원|교수|위원)(?:\s*[=\s]\s*\S+@\S+|\s*=)?\s*$")

MONTHS = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
          r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")

# An author field in a page's markup (trafilatura's, names joined with ';') keeps what stood after a name: a date
# ('Nov. 19, 2019', '19 November 2019', 'on Monday, March 3'), a sentence about the writer ('... is a reporter for
# NBC News'). Weekdays in full: 'Sun', 'Wed' end names.
WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
AUTHOR_DATE = re.compile(
    rf"(?:\s+(?:on|updated|published))?\s+(?:{WEEKDAY}\b,?\s*)?(?:\d{{1,2}}\s+)?{MONTHS}(?![a-z])\s*\d.*$"
    rf"|\s+(?:on|updated|published)\s+{WEEKDAY}\b.*$|\s+(?:is|was)\s+(?:a|an|the)\s.*$", re.I)
# A lone weekday or month closing the field ('Malcolm Owen Monday'), cut only when two words of a name stay before it:
# 'Mark Sunday', 'Chris March' are names.
AUTHOR_DAY = re.compile(rf"^(\S+\s+\S+.*?)\s+(?:{WEEKDAY}\.?|{MONTHS})$|^(?:{WEEKDAY}\.?|{MONTHS})$", re.I)

# schema.org's Article and its subtypes (NewsArticle, ReportageNewsArticle, BlogPosting, OpinionNewsArticle, Report...)
ARTICLE_TYPE = re.compile(r"(?:Article|BlogPosting|Report|LiveBlogPosting)$")

# Between a headline and the site's name in a page's <title>: ' - Site', ' | Site', ': Site' (not 'line-up').
SITE_SEPARATOR = re.compile(r"\s+[-|–—:·»/]\s*\S|:\s+\S")

# A document's title field ('[Title] Comment by ...', '제목: ...'): the page names its headline, as HTML's <title> does.
# ('Subject: North Korea; Missiles' over a clipping is its topic, not its headline.)
TITLE_FIELD = re.compile(r"^(?:\[\s*(?:title|제목|件名|标题|標題|titre|titel|título|заголовок)\s*\]|"
                         r"(?:title|제목|件名|标题|標題|titre|titel|título|заголовок)\s*[:：])\s*(?=\S)", re.I)

# The same fields printed as a table, label and value with no colon ('Title Kyungnam University ...' over 'Date
# 2019.01.10'): read only as a pair ('Title IX rules ...' alone is a headline).
# (The value starts like a headline: 'Title race heats up ...', 'Title IX complaint ...' are headlines.)
BARE_FIELD = re.compile(r"^(?:Title|TITLE|제목)\s+(?=[A-Z\d\uac00-\ud7a3\"'‘“\[])(?![IVX]+\b)")
BARE_DATE_FIELD = re.compile(r"^(?:date|일\s?자|작성일|등록일|게시일)\s+\d", re.I)

# A day and a clock time after a headline ('... Foreign Minister Mogi September 17 15:35'): the page's stamp, glued on.
# (Not with a year or a comma: 'Public meeting ..., 12 March 2024, 7:00 pm' names when the meeting is.)
# (Nor after a joining word: '... set for March 14 14:00' names when.)
TRAILING_STAMP = re.compile(rf"\s(?:{MONTHS}\s+\d{{1,2}}|\d{{1,2}}\s+{MONTHS})\s+\d{{1,2}}:\d{{2}}$", re.I)
# A headline cut short with dots ('... discuss the reunification...'): its words before them.
CUT_HEADLINE = re.compile(r"(.{12,}?)\s*(?:\.\.\.|…)$")
# A year glued to the next label where a copied page lost a line break: 'MAY 27, 2022Share'.
GLUED_DATE = re.compile(r"(?<=\b(?:19|20)\d\d)(?=[A-Z][a-z])")
# Breadcrumbs written with pipes or colons start at the site's home page: 'Home | Remarks | ...', 'Home : Media : News'.
HOME_NAMES = r"(?:home|accueil|inicio|startseite|главная|홈|首页|首頁|ホーム)"
HOME_PATH = re.compile(rf"^{HOME_NAMES}\s+[|:/]\s+\S.*\s[|:/]\s", re.I)
HOME_WORD = re.compile(rf"^(?:you are here\s*:?\s*)?{HOME_NAMES}\s", re.I)

# dateutil reads English month names only; these are the other languages' (Russian by stem: it declines them).
LATIN_MONTHS = {
    name: i
    for names in (
        "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
        "januar februar märz april mai juni juli august september oktober november dezember",
        "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
        "january february march april may june july august september october november december",  # ('28/MAY/2017')
        "jan feb mar apr may jun jul aug sep oct nov dec",
    )
    for i, name in enumerate(names.split(), 1)
}

# The first year of each Japanese era that a page of this century may date by (Japanese official pages do).
ERA_START = {"令和": 2019, "平成": 1989, "昭和": 1926}

RU_MONTHS = ("январ", "феврал", "март", "апрел", "ма[йя]", "июн", "июл", "август", "сентябр", "октябр", "ноябр", "декабр")

DATE_PATTERNS = [
    # May 5, 2008; July, 16, 2020; May 22,2025
    re.compile(rf"\b{MONTHS},?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,\s*|\s+)\d{{4}}\b", re.I),
    re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTHS},?\s+\d{{4}}\b", re.I),  # 5 May 2008
    re.compile(r"(?<!\d)(?P<y>\d{4})\s*[-./]\s*(?P<m>\d{1,2})\s*[-./]\s*(?P<d>\d{1,2})(?!\d)\.?"),  # 2008-05-05, 2008.05.05
    re.compile(r"(?P<y>\d{4})\s*[년年]\s*(?P<m>\d{1,2})\s*[월月]\s*(?P<d>\d{1,2})\s*[일日]"),  # 2008년 5월 5일, 2008年5月5日
    # 平成24年3月16日, 令和元年5月1日: a Japanese era's year (ERA_START)
    re.compile(r"(?P<era>令和|平成|昭和)\s*(?P<ey>\d{1,2}|元)\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"),
    re.compile(r"(?<!\d)(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})(?!\d)"),  # 12.03.2024: always day first
    re.compile(r"(?<!\d)\d{1,2}/\d{1,2}/\d{4}(?!\d)"),  # 05/05/2008 (month first, as dateutil)
    re.compile(r"(?<!\d)(?P<d>\d{1,2})/(?P<mn>[^\W\d_]{3,10})/(?P<y>\d{4})(?!\d)"),  # 28/MAY/2017, 28/mayo/2017
    # 15 марта 2023, 5 mai 2008, 5. Mai 2008, 5 de mayo de 2008
    re.compile(r"\b(?P<d>\d{1,2})\.?\s+(?:de\s+)?(?P<mn>[^\W\d_]{3,10})\.?\s+(?:de\s+)?(?P<y>\d{4})\b"),
]

# A label glued to the weekday of the date after it ('Publish dateThursday 12 January 2023'): where to part them.
GLUED_WEEKDAY = re.compile(r"(?<=[a-z])(?=(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b)")

# Words that may sit on a date line around the date itself.
# Labels and words of date lines are in DATE_FILLER; these are the words that mark the page's own publication date
# (not an update, a crawl date or a "today" banner).
DATE_LABEL = re.compile(
    r"\b(?:date|dated|published|posted|released|issued|publié|veröffentlicht|publicado|опубликовано)\b"
    r"|입력|등록|기사입력|보도일시|발행|登录|登錄|发布|發佈|發布|发表|發表|公開|掲載",
    re.I,
)

DATE_FILLER = re.compile(
    rf"\b[ap]\.m\.|\b(?:published|updated|posted|released|issued|dated|last|modified|on|at|date|time|am|pm|{MONTHS}|"
    rf"(?-i:[A-Z]{{1,4}}T)|mon(?:day)?|tue(?:sday)?|wed(?:nesday)?|thu(?:rsday)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?|"
    r"utc|gmt|kst|est|edt|pst|pdt|cst|cdt|broadcast|aired|first aired)\b"
    # a relative time next to the absolute one ('Published 3 hours ago · Updated 14:05 GMT, 12 March 2024')
    r"|\b\d+\s*(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?)\s+ago\b|\bjust now\b|\d+\s*(?:분|시간|일)\s*전"
    r"|입력|수정|발행|등록|조회수|조회|기사입력|최종수정|송고|보도일시|일시|날짜|오전|오후|\d{1,2}\s*(?:時|시)\s*\d{1,2}\s*(?:分|분)|更新|公開|发布"
    # the same filler in French, German, Spanish and Russian ('Publié le 12 mars 2024 à 14h05')
    r"|\b(?:publié|mis à jour|dernière|modification|le|à|veröffentlicht|aktualisiert|zuletzt|geändert|am|um|uhr|"
    r"publicado|actualizado|el|a las|"
    r"опубликовано|обновлено|в)\b|\d{1,2}h\d{2}|\b[ap]\.\s?m\."
    # short weekday names in Spanish and French ('vie, 15 de marzo de 2024, 10:07 a. m.')
    r"|\b(?:lun|mar|mié|mie|jue|vie|sáb|sab|dom|mer|jeu|ven|sam|dim)\b"
    r"|登录|登錄|發佈|发表|發表|滾動|滚动|掲載"
    r"|\([월화수목금토일]\)|\d{1,2}:\d{2}(?::\d{2})?|[\d():,.+\-|/·\[\]]"
    r"|\bhttps?://\S+|\b(?:www\.)?[\w-]+(?:\.[\w-]+)+\.(?:com|org|net|kr|jp|cn|gov|int)\b"  # the page's address
    rf"|^\s*{EMAIL}",  # the desk's e-mail opening it ('news@bujadongne.com | 2015-02-04 12:39:21')
    re.I,
)

# Labelled header fields, as many sites print them in any language ('Текст: Анна Смирнова', '来源：新华网 作者：李明',
# 'Presenter: Ruth Kim', 'Broadcast: 10 March 2024'). A label naming a job is also the author's role.
LABELS = {
    "author": r"author|writer|text|words|written by|from|автор|текст|作者|撰文|筆者|著者|글|필자|글쓴이|작성자|verfasser|autor|auteur",
    "role": r"presenter|host|reporter|correspondent|editor|ведущий|ведущая|корреспондент|记者|記者|主持人|진행|앵커",
    "source": r"source|sources?|источник|来源|來源|出处|出處|出典|quelle|fuente|출처|제공",
    "date": r"date|published|broadcast|aired|updated|дата|发布时间|發布時間|发布日期|时间|日期|日付|날짜|일시|방송일|일\s?자|작성일|등록일|게시일",
}

LABEL = re.compile(r"(?:^|(?<=\s))(?P<label>" + "|".join(f"(?P<{k}>{v})" for k, v in LABELS.items())
                   + r")\s*[:：]\s*", re.I)

CONTACT = re.compile(r"^(?:(?:media|press|news) )?(?:contacts?|enquiries|inquiries)\b|^(?:문의|담당자|연락처)", re.I)


# --- page structure (used by pagetext/pageheader) ---------------------------------------------------------------------

# Labels of a page's kind or section, never its headline ('Press Statement', 'Commentary', '보도자료').
DOC_LABELS = frozenset(
    """press statement|press release|news release|media release|statement|statements|remarks|commentary|analysis|
    opinion|editorial|editorials|op-ed|blog|news|newsroom|press|briefing|press briefing|press briefings|speech|
    interview|feature|column|columns|report|reports|updates|latest news|breaking news|world|asia|local news|
    editorial notes|news services|the latest|top stories|보도자료|사설|칼럼|오피니언|기고|해설|속보|단독|정치|사회|국제|
    경제|社説|社论|社論|评论|評論|新闻|新聞|国际|國際|comunicado|actualité|actualités|à la une|nachrichten|ticker|
    новости|политика|в мире""".replace("\n", "").split("|")
)

# The words of a site's section names ('PRESS RELEASES AND NEWS', 'Press Releases|', 'News & Events'): a line made
# of these alone (and CONNECTORS between them), whatever its case, names a section, not the article.
SECTION_WORDS = frozenset(
    """press release releases news statement statements media room centre center events announcements notices notice
    speeches speech remarks briefings briefing transcripts publications articles stories updates update latest
    top breaking world local national international opinion opinions editorials editorial commentary commentaries
    content contents details type info information
    columns column features feature analysis blog blogs reports report newsroom archive archives headlines
    보도자료 공지사항 새소식 뉴스 알림 소식 actualités actualité communiqués communiqué presse nachrichten
    pressemitteilungen pressemitteilung aktuelles noticias comunicados prensa новости пресс-релизы""".split()
)
CONNECTORS = frozenset("and & + und et y e и 및 과 와 or".split())

# A dateline standing for a headline: a date (a year-month, or a day and a month's name) with a place and an agency
# around it, in short comma-separated parts ('date 2025-05 Bakou, 1er mai, AZERTAC').
DATELINE_DATE = re.compile(r"(?<!\d)(?:19|20)\d\d-\d\d(?!\d)|\b\d{1,2}(?:er|st|nd|rd|th|e)?\.?\s+[^\W\d_]{3,10}\b")

# A source label printed alone, its value on the next line ('ソース' / '新華網日本語').
SOURCE_WORDS = frozenset("source sources 출처 ソース 出典 来源 來源 出处 出處 quelle fuente источник".split())

# A place standing alone, as releases print it over the date ('Washington, DC', 'New York, NY', 'GENEVA').
PLACE = re.compile(r"^[A-Z][\w.'’-]*(?:\s[A-Z][\w.'’-]*){0,2},\s*[A-Z][\w.]*(?:\s[A-Z][\w.]*)?$")

# A numbered section heading of the text ('1.김정은의 ...', 'II. Background'), never the headline.
SECTION_NUMBER = re.compile(r"^(?:\d{1,2}|[IVX]{1,4}|[a-z])[.)]\s*\S")

# A line that links to the rest of a teaser: on a listing page every teaser has one.
READ_MORE = re.compile(
    r"^(?:read more|continue reading|read the full (?:story|article)|full story|more|read on|weiterlesen|lire la suite|"
    r"leer más|подробнее|читать далее|더보기|기사 ?더보기|.{0,80}게시물 읽기|阅读全文|閱讀全文|続きを読む|詳情|详情)\s*(?:>>|»|›|→)?\s*$",
    re.I,
)
# A teaser's cut end: 'the North Korean regime…', '냉정한 분석에 기초한 […]'.
TRUNCATED = re.compile(r"(?:\.\.\.|…|\[…\]|\[\.\.\.\]|(?<!\.)\.\.)\s*$")
# A step between posts ('« Previous | Main | Next »'): a blog's navigation, between its own header and a post's.
NAV_STEP = re.compile(r"^(?:«|‹|<)?\s*(?:prev(?:ious)?|older|이전)\b.*\b(?:next|newer|다음)\b\s*(?:»|›|>)?$", re.I)
# A reprinted opinion piece's note ('(EDITORIAL from the Korea Herald on March 30)'): the paper it comes from.
OPINION_FROM = re.compile(r"^[(\[]?(?i:editorial|column|commentary|op-?ed|opinion)\s+from\s+(?P<the>(?i:the)\s+)?"
                          r"(?P<src>[A-Z][\w&'.-]*(?:\s+[A-Z][\w&'.-]*){0,5})(?:\s+on\s+[^()\[\]]{3,30})?[)\]]?$")
# A release's label with the issuing body after it ('Press Release Sri Lanka High Commission New Delhi'): the author,
# as 'From: <organisation>' is. Every word capitalised, so a headline after a 'Press release:' kicker is none; a
# heading in capitals ('PRESS STATEMENT OF THE PERMANENT MISSION OF') is none either, and the name must be a body's
# ('... Commission', 'Ministry of ...': 'Press Release Writing Tips From Seasoned Editors' is a headline).
RELEASE_BY = re.compile(r"^(?i:press|media|news)\s+(?i:release|statement)\s+(?P<org>(?=.*[a-z])"
                        r"(?=.*\b(?:Commission|Embassy|Consulate|Ministry|Office|Council|Department|Mission|Agency|"
                        r"Association|Foundation|Committee|Government|Centre|Center|Institute|University|Society|"
                        r"Union|Bureau|Authority|Service|Secretariat|Organi[sz]ation)\b)[A-Z][\w&'.-]*"
                        r"(?:\s+(?:[A-Z][\w&'.-]*|of|the|and|for|in|on))*\s+[A-Z][\w&'.-]*)$")  # (a body: no headline)
# A letter's headline labelled as one ('LETTER: Korean War memorial is incomplete').
LETTER_HEADLINE = re.compile(r"^(?:letters?(?: to the editor| of the (?:day|week))?|leserbrief|courrier des lecteurs)\s*[:|–—-]\s*\S",
                             re.I)
# An editor's note over a Korean story ('... 3차례에 걸쳐 다룬다. -편집자', '[편집자 주] ...'): a note to readers, neither
# headline nor text.
EDITOR_NOTE = re.compile(r"^\s*[\[(【<]\s*편집자\s*주\s*[\])】>]|^\s*편집자\s*주\s*[:：]|[-–—]\s*편집자(?:\s*주)?\s*[)\]]?\s*$"
                         r"|\(\s*편집자\s*주\s*\)\s*$")
# A letter to the editor's salutation on a line of its own ('Dear Editor,', 'To the editor:'): the header of the letter,
# no text (a greeting to a person, 'Dear President Yoon,', is: SALUTATION).
EDITOR_SALUTATION = re.compile(r"(?:dear (?:editor|sir|sirs|madam|sir or madam)|to the editor)\s*[,:]?", re.I)
# A letter's closing over its signature ('Sincerely,', 'God Bless America,', 'Respectfully yours,').
VALEDICTION = re.compile(r"^(?:sincerely|respectfully|regards|best regards|kind regards|yours|thank you|thanks|god bless|"
                         r"cordially|warmly|with gratitude|in gratitude)\b[^.!?:;,]{0,30},$", re.I)  # ('Thomas Reed,' signs)
# A letter to the editor's first words ('To the editor:', 'To the former board of education president:', 'Dear Sir,'):
# the bare name under its text is its signature.
LETTER_OPENING = re.compile(r"^(?:To the editor\s*[:,]|To the [^:,.]{3,60}?:|Dear (?:editor|sir|madam|[A-Z][^:,.]{1,40}),?)", re.I)
# A byline sharing the story with a wire ('H.G. avec AFP', 'Jane Doe with Reuters', 'Max Muster mit dpa'): the writer.
WITH_AGENCY = re.compile(r"^(?:by\s+)?(?P<name>(?:[A-Z]\.\s?){1,3}|[^\W\d_][^,;|()]{2,40}?),?\s+(?:avec|with|mit|con|com)\s+"
                         r"(?:l'|la\s+|las\s+)?(?:AFP|AP|Reuters|dpa|EFE|ANSA|Kyodo|Yonhap|Xinhua|AAP|Belga|APA|Lusa|"
                         r"agencies|agencias|agences|Agenturen)\.?$", re.I)
# Who gave a statement ('(The following is a joint statement delivered by Ambassador Linda Thomas-Greenfield,
# Representative of ..., on behalf of ...)', 'Delivered by Jin Lee'): its author, a title before the name dropped.
DELIVERED_BY = re.compile(r"\b(?i:delivered by|for delivery by):?\s*(?P<who>[A-Z][^,;()]{2,60}?)(?:,\s*(?P<role>[A-Z][^,;()]{3,80}?))?\s*(?:[,;.)]|$)")
# A button that loads a list's next entries.
LOAD_MORE = re.compile(r"^(?:load|show|view|see) more(?: (?:stories|articles|posts|news))?\W*$|^더\s?보기$|^もっと見る$", re.I)
# A tag's own heading ('Tag: North Korea', 'Tagged: Sanctions'): the page lists what carries it. ('Topic:' and
# 'Category:' are also a single post's fields.)
TAG_HEADING = re.compile(r"^(?:tag|tagged|tag archives?|태그|タグ|标签|標籤)\s*[:：]\s*\S.{0,40}$", re.I)
# A letters page's label over the letter ('LETTERS', 'Letter to the editor', 'Voice of the people (letter).').
LETTERS_LABEL = re.compile(r"^(?:letters?(?: to the editor)?|voice of the people(?: \(letters?\))?|readers'? (?:letters|views)|"
                           r"your letters|독자 투고|독자투고)\W*$", re.I)
# A credit line naming who reported ('Reported in Chinese by Qiao Nong. Translated by Carolyn Song.'): the author.
REPORTED_BY = re.compile(r"^(?:Reported|Reporting|Written|Story)(?: in [A-Z][a-z]+)? by (?P<name>[^.;,|]{3,40}?)"
                         r"(?:\s+for\s[^.]{2,40})?\s*(?:[.;,|]|$)")  # ('... by Qiao Long for RFA Mandarin.')
# A wire service's credit line, its name alone before what follows ('Xinhua, October 29, 2016'): the story's source.
# A closed list, because a capitalised word before a date is as often a place (a dateline) or a person.
WIRE_CREDIT = re.compile(r"^(?P<src>Xinhua|Reuters|AP|Associated Press|AFP|Agence France-Presse|Yonhap|KCNA|Kyodo|"
                         r"Jiji Press|dpa|EFE|ANSA|TASS|RIA Novosti|Interfax|UPI|IANS|PTI|ANI|APP|Bernama|Antara|KUNA|"
                         r"WAM|Anadolu|IRNA|Sputnik|KCNA Watch|Yonhap News Agency|Xinhua News Agency),\s*(?P<rest>.+)$")
# A repost's credit line in brackets: the paper's name and its date ('[문화일보 2024-01-25]').
BRACKET_CREDIT = re.compile(r"^[\[【](?P<src>[^\[\]【】\d]{2,20}?)\s+(?P<date>\d{4}[-./]\s?\d{1,2}[-./]\s?\d{1,2}\.?)[\]】]$")
# The same credit glued before the reposted headline ('[문화일보 2024-01-25] 북한, ...'): two lines the board ran together.
LEAD_BRACKET_CREDIT = re.compile(r"^(?P<credit>[\[【][^\[\]【】\d]{2,20}?\s+\d{4}[-./]\s?\d{1,2}[-./]\s?\d{1,2}\.?[\]】])\s*(?=\S)")
# A listing page's own heading ('Archive for the 'X' Category', 'Posts tagged X', 'Tag Archives: X', 'Search results
# for X', "'X' 검색 결과"): a tag, category, archive or search page, whatever its entries look like. (Not a bare
# 'Category: X', which an article prints over its headline too.)
ARCHIVE_HEADING = re.compile(
    r"^(?:archives? for\b|posts? tagged\b|(?:tag|category|author|monthly|yearly|daily) archives?\s*:|"
    r"search results? (?:for\b|:)|(?:you searched for|showing results for)\b|.{1,30}(?:에 대한 )?검색 ?결과$|"
    r".{1,20}の検索結果$|.{0,20}搜索结果$)",
    re.I)
# A closing note on who wrote the story: '<Name>, a student at ..., is working as a fall intern for the <Paper>.'
STAFF_NOTE = re.compile(r"^(?P<name>[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){1,2}), [^.]{3,120}?, (?:is|was) (?:working as |"
                        r"serving as )?(?:a |an |the )?(?:[\w-]+ ){0,3}(?:intern|reporter|writer|correspondent|"
                        r"contributor|freelancer|stringer|columnist)\b[^.]{0,80}\.$")
# Blogger's own heading over a label or search page: a listing, however many posts it prints.
BLOGGER_LISTING = re.compile(r"^showing posts (?:with label|sorted by relevance for query|for query)\b.*show all posts$", re.I)
# A button to follow a topic or a person ('Follow', '팔로우'): under a one-to-three-word heading, a topic page's.
FOLLOW = re.compile(r"^\+?\s*(?:follow|팔로우|フォロー|关注|關注|folgen|suivre|seguir)$", re.I)
# A pager under a list of teasers: '1', '« Previous 1 2 3 Next »', '이전 / 1 / 다음', 'Older posts'.
PAGER = re.compile(r"^(?:[\d\s«»‹›<>|…◀▶◁▷]+|(?:[«←]\s*)?(?:prev(?:ious)?|next|(?:older|newer) (?:posts|entries|articles|stories)|"
                   r"이전|다음|précédent|suivant|anterior|siguiente|zurück|weiter)(?:\s+(?:page|seite))?(?:\s*[»›>→])?"
                   r"|.*\b(?:prev(?:ious)?|이전)\b.*\d.*\b(?:next|다음)\b.*"
                   r"|[\d\s«‹<|…]*\d[\d\s«‹<|…]*\s(?:next|다음|suivant|siguiente|weiter)(?:\s*[»›>])?)$", re.I)  # ('1 2 3 다음')
# An agency's name alone after a story's last full stop ('... el 1 de noviembre. EFE', '... sagte er. dpa'): a
# signature, not text.
AGENCY_END = re.compile(r"(?<=[.!?\"”»])\s+(?:[A-Z]{2,5}|dpa|afp)\s*$")
# A portal's line naming the agency it distributes ('聯合ニュース 6月29日(水)14時27分配信'): a reprint note.
DISTRIBUTED = re.compile(r"^(?P<src>\S{2,20})\s+(?:\d{4}年\s*)?\d{1,2}月\s*\d{1,2}日.{0,20}配信$")
# A newspaper's editorial signed under a reprint ('워싱턴 포스트 사설', 'The Washington Post editorial'): the source.
EDITORIAL_SIGN = re.compile(r"^(?P<src>\S.{1,30}?)\s*(?:사설|社說|社说|社説)$|^(?P<en>(?:The\s)?[A-Z][\w.&'-]*(?:\s[A-Z][\w.&'-]*){0,5}) editorial$")
# A post's taxonomy line: 'Categories: In the News, North Korea', 'Tags: ...', 'Posted in City Council, News'.
TAXONOMY = re.compile(r"^(?:(?:tags?|categor(?:y|ies)|filed under|topics?|keywords?|schlagwörter|thèmes?|etiquetas|"
                      r"태그|키워드|분류|标签|標籤|タグ)\s*[:：]|posted in\s)\s*\S", re.I)
# A Chinese byline: '即時中心/李昶毅報導', '記者王小明/台北報導'.
ZH_BYLINE = re.compile(r"^(?:[^\s/]{1,10}\s*/\s*)?(?:記者|记者)?(?P<name>[\u4e00-\u9fff]{2,4})\s*(?:/\s*\S{1,8}\s*)?(?:報導|报道|報道)$")
# A Japanese wire dateline opening the first paragraph ('【ソウル聯合ニュース】'): header, as a Korean one is.
JA_WIRE = re.compile(r"^【[^】]{1,20}(?:ニュース|通信|時事|共同)】\s*(?=\S)")
# An agency's end mark and desk code closing a story: '(end) amm.mt', '(END)', '(完)', '(끝)'.
END_MARK = re.compile(r"\s*[(（](?:end|END|End|끝|完|完了)[)）](?:\s*\S{1,12})?\s*$|(?<=[.!?\"”])\s*Enditem\s*$")  # (Xinhua's)
# A pointer to the full story at another site, glued to a paragraph's end: '... Read more at Yahoo News.'
TRAILING_LINK = re.compile(r"\s*(?:read (?:more|the full story)|full story|continue reading)\s+(?:at|on)\s+[^.]{1,40}\.?\s*$",
                           re.I)
# A production credit in brackets closing a paragraph: '... 강조했습니다. (영상편집: 조명수)', '(Reporting by A; Editing by B)'.
TRAILING_CREDIT = re.compile(r"\s*[(（](?:영상\s*(?:편집|취재)|촬영\s*기자|그래픽|reporting by|editing by|writing by|additional reporting"
                             r")[^()（）]{0,80}[)）]\s*$"
                             r"|(?<=[.!?\"”])\s*[\[(]\s*(?:자료\s*)?사진\s*[=:][^\[\]()]{1,30}[\])]\s*$", re.I)  # ('...밝혔다.[사진=연합뉴스TV]')
# A line ending in a colon introduces what follows ('Besides the COI material, the entry covers these main topics:').
LIST_INTRO = re.compile(r"[:：]\s*$")

# A letter's greeting: kept as text though it ends with a comma ('Dear President Yoon,').
SALUTATION = re.compile(r"^(?:dear|to)\s+\S.{0,80},$|^(?:친애하는|존경하는)\s.{0,40},?$", re.I)

# Words of a clause, not of a job title: 'South Korea, Japan also condemn launch' is a standfirst, not a name and role.
CLAUSE_WORDS = frozenset(
    """also says said say warns warn warned urges urge urged vows vow vowed condemn condemns condemned slam slams
    slammed calls call called agree agrees agreed seek seeks reject rejects rejected deny denies denied back backs
    backed plan plans will would""".split()
)
# Job words of an unprefixed byline's second line ('Robert R. King' / 'Special Envoy for ...').
ROLE_WORDS = frozenset(
    """secretary envoy spokesperson spokesman spokeswoman minister ambassador director president representative
    chairman chairwoman chair commissioner rapporteur correspondent editor reporter columnist fellow professor analyst
    officer adviser advisor coordinator deputy chief head counsel researcher writer contributor staff governor
    senator congressman congresswoman administrator undersecretary under-secretary""".split()
)
# Titles that follow a Korean name in a byline ('이영일 전 국회의원', '홍길동 기자').
KO_ROLES = re.compile(
    r"(?:기자|특파원|논설위원|선임기자|객원기자|전문기자|칼럼니스트|연구원|연구위원|교수|위원|의원|국회의원|대표|소장|원장|"
    r"장관|대사|변호사|작가|평론가|편집장|앵커|박사|논설실장|주필|이사장|회장|사무총장|대변인|센터장)$"
)
# Three-syllable words of a page's template that start like a surname ('조회수' view count, '상태바' status bar): no names.
KO_NOT_NAMES = frozenset("조회수 작성자 작성일 등록일 수정일 상태바 추천수 댓글수 이전글 다음글 게시일 공감수 구독자 최신순 인기순 "
                         "정확도 관련글 안내문 홍보관 전체글 목록글".split())
# Korean surnames: a bare three-syllable Hangul line next to a date or headline is a reporter's name only when it
# starts with one ('나세웅', not '한반도' after '정치').
KO_SURNAMES = frozenset(
    """김 이 박 최 정 강 조 윤 장 임 한 오 서 신 권 황 안 송 류 유 전 홍 고 문 양 손 배 백 허 남 심 노 하 곽 성 차 주
    우 구 민 진 지 엄 채 원 천 방 공 현 함 변 염 여 추 도 소 석 선 설 마 길 연 위 표 명 기 반 왕 금 옥 육 인 맹 제 모
    탁 국 어 은 편 용 예 경 봉 사 부 나 라 태 두 감 음 빈 동 온 호 범 좌 팽 승 간 상 갈 단 견 당""".split()
)
# '보도에 이승윤 기자입니다', '안준호 기자가 보도합니다': a TV report names its reporter in a line of text.
# Points of a summary run together on one line ('...편성···전년 대비 ...'): a run of dots between two words.
JOINED_POINTS = re.compile(r"(?<=\S)(?:·{2,}|…|\.{3})(?=\S)")
# A note giving a reprint's original headline ('(原标题:...)', '(Original title: ...)'): the headline is inside it.
ORIGINAL_TITLE = re.compile(r"^[(（\[【]\s*(?:原标题|原標題|原題|원제|original (?:title|headline))\s*[:：]\s*(?P<t>.+?)\s*[)）\]】]$",
                            re.I)
# A broadcast script's cue for the anchor opening a paragraph ('앵커 : ...', 'ANCHOR: ...'): who speaks, not text.
ANCHOR_CUE = re.compile(r"^(?:앵커|anchor|ANC)\s*[:：]\s*(?=\S)", re.I)
# A Chinese reporter's sign-off closing the text's last paragraph ('...弹道导弹。(记者姜俏梅)'): who reported.
ZH_SIGNOFF = re.compile(r"\s*[(（](?:记者|記者)\s*(?P<a>[\u4e00-\u9fff]{2,4})(?:[、，,\s]+[\u4e00-\u9fff]{2,4})*[)）]\s*$")
# A Korean paper's mark of the agency it reprints, after the text's last sentence ('...증액한 결과다. /연합뉴스'): the
# source, not text. (A caption's credit glued to its stop, '...있다./연합뉴스', is a credit line: read before.)
KO_REPRINT_MARK = re.compile(r"(?<=[.다])\s+/\s*(?P<src>연합뉴스(?:TV)?|뉴시스|뉴스1|노컷뉴스|newsis|News1)\s*$")
# A Korean reporter's sign-off glued after the text's last sentence, with the e-mail (maybe cut) after it
# ('... 분석했다. 조동석 기자/dscho@'): who reported, not text.
KO_TRAILING_BYLINE = re.compile(r"(?<=[.!?다”\"’])\s*(?P<name>[\uac00-\ud7a3]{2,4})\s?(?P<role>기자|특파원)\s*"
                                r"(?:[/=]\s*)?(?:[\w.+-]+@[\w.-]*)?\s*$")
# A Chinese wire dateline naming its reporters ('新华社首尔10月19日电(记者陆睿 杜白羽)...'): who reported; the dateline
# stays in the text, as an English one does.
ZH_LEAD_REPORTER = re.compile(r"^\S{0,20}?\d{1,2}日电\s*[(（](?:记者|記者)\s*(?P<names>[\u4e00-\u9fff]{2,4}"
                              r"(?:[、，,\s]+[\u4e00-\u9fff]{2,4}){0,4})[^)）]{0,30}[)）]")
# Titles inside such a bracket after the reporters' names ('(记者 蔡敏婕 通讯员 粤检宣)'): others, not reporters.
ZH_OTHER_ROLES = ("通讯员", "通訊員", "实习生", "實習生", "见习记者", "實習記者", "实习记者", "摄影", "攝影")
# A reporter's name with the role glued on and a place or slash before it, as Korean papers print it over an e-mail
# under the text ('/윤희정기자 hjyun@...', '포항·박정출기자 ...').
KO_EMAIL_NAME = re.compile(r"^(?:[\uac00-\ud7a3]{1,6}\s*[·=]\s*|/\s*)?(?P<name>[\uac00-\ud7a3]{2,4}?)\s*"
                           r"(?P<role>기자|특파원|선임기자|객원기자|전문기자|논설위원)$")
KO_REPORTER = re.compile(r"(?:보도에|취재에)\s*(?P<a>[\uac00-\ud7a3]{2,4})\s*(?P<r>기자|특파원)입니다|"
                         r"(?P<b>[\uac00-\ud7a3]{2,4})\s*(?P<s>기자|특파원)가\s*(?:(?:보도|취재)합니다|"
                         r"[^.]{0,20}(?:다녀왔습니다|전해드립니다|전합니다|알아봤습니다|취재했습니다))|"
                         r"(?<![\uac00-\ud7a3])(?P<c>[\uac00-\ud7a3]{2,4})\s*(?P<t>기자|특파원)입니다")  # ('... 홍지은 특파원입니다.')
# A "today" widget the site prints under its date banner: a weather reading ('맑음서울 -3.4℃', 'Paris 21 °C') or a
# clock's label ('Kabul Local Time'): the date over it is today's date, not the article's.
WEATHER = re.compile(r"-?\d+(?:[.,]\d+)?\s*(?:℃|°\s*[CF]\b)")
CLOCK_LABEL = re.compile(r"\b(?:local time|ortszeit|heure locale|hora local|현지\s*시각|現地時間|当地时间)(?:\W|$)", re.I)
# A blog post's meta line with its date in its first sentence ('Posted by on 2015/11/17. Filed under News. You can
# follow ...', 'Published by Jane Doe on March 3, 2021. Tags: ...'): the date is the post's.
POSTED_ON = re.compile(r"^(?:posted|published|written|submitted)\b[^.]{0,60}?\bon\s+(?P<date>[^.]{4,40}?\d\.?)(?:\s|$)", re.I)
