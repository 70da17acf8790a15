//! The build's words in the desk's language. The build says what is wrong in English (the
//! command line stays English); the desk shows each problem of an article in Kazakh or Russian,
//! as the desk is set. Each entry is the English message with `{}` for what varies, and its
//! Kazakh and Russian with `{0}`, `{1}`… in any order (a `{t0}` is translated again: a message
//! inside a message). A message without an entry is shown in English; the test over every case
//! of `tests/sites/invalid` and every problem the desk's own tests meet fails on one.

use std::sync::OnceLock;

/// `(English, Kazakh, Russian)`.
const ENTRIES: &[(&str, &str, &str)] = &[
    // Dates.
    (
        "`{}` is not a date: write it as date = 2025-08-29 (or 2025-08-29T10:30:00+05:00)",
        "`{0}` — күн емес: оны date = 2025-08-29 түрінде жазыңыз (немесе 2025-08-29T10:30:00+05:00)",
        "`{0}` — не дата: напишите её как date = 2025-08-29 (или 2025-08-29T10:30:00+05:00)",
    ),
    ("`{}` is not a date", "`{0}` — мұндай күн жоқ", "`{0}` — такой даты нет"),
    ("updated: {}", "updated: {t0}", "updated: {t0}"),
    // The front matter's fields.
    (
        "the title is empty: write the headline in title = \"…\"",
        "Тақырып бос: оны title = \"…\" ішіне жазыңыз",
        "Заголовок пуст: напишите его в title = \"…\"",
    ),
    (
        "missing field `{}`: add `{} = …`",
        "`{0}` өрісі жоқ: `{1} = …` қосыңыз",
        "Нет поля `{0}`: добавьте `{1} = …`",
    ),
    ("missing field `{}`", "`{0}` өрісі жоқ", "Нет поля `{0}`"),
    (
        "unknown field `{}`; did you mean `{}`?",
        "`{0}` деген өріс жоқ; `{1}` болуы мүмкін бе?",
        "Неизвестное поле `{0}`; может быть, `{1}`?",
    ),
    (
        "unknown field `{}`; remove it or check its spelling (allowed: {})",
        "`{0}` деген өріс жоқ; оны алып тастаңыз немесе жазылуын тексеріңіз (болатындары: {1})",
        "Неизвестное поле `{0}`; уберите его или проверьте написание (допустимы: {1})",
    ),
    (
        "invalid type: string {}, expected a sequence",
        "Мұнда төртбұрыш жақшадағы тізім керек, ал {0} деген мәтін жазылған: мысалы, tags = [\"…\", \"…\"]",
        "Здесь нужен список в квадратных скобках, а написан текст {0}: например, tags = [\"…\", \"…\"]",
    ),
    (
        "invalid type: {}, expected {}",
        "Мәннің түрі қате: {0} жазылған, ал керегі — {1}",
        "Неверный тип значения: написано {0}, а нужно {1}",
    ),
    (
        "invalid basic string",
        "Тырнақшадағы мәтін қате жазылған: тырнақшалар мен кері қиғаш сызықты (\\) тексеріңіз",
        "Текст в кавычках записан с ошибкой: проверьте кавычки и обратную косую черту (\\)",
    ),
    (
        "{} holds the invisible control character {} (Word's manual line break), which a web page or feed cannot carry: delete it (retype the text around it; it often comes with text pasted from Word or a PDF)",
        "{f0} ішінде көзге көрінбейтін {1} басқару таңбасы бар (Word-тағы қолмен жол ауыстыру), оны веб-бет те, лента да көтере алмайды: оны өшіріңіз (айналасындағы мәтінді қайта теріңіз; ол көбіне Word не PDF-тен қойылған мәтінмен келеді)",
        "{f0}: невидимый управляющий символ {1} (ручной перенос строки Word), которого не может быть на веб-странице и в ленте: удалите его (перепечатайте текст вокруг; он часто приходит с текстом, вставленным из Word или PDF)",
    ),
    (
        "{} holds the invisible control character {}, which a web page or feed cannot carry: delete it (retype the text around it; it often comes with text pasted from Word or a PDF)",
        "{f0} ішінде көзге көрінбейтін {1} басқару таңбасы бар, оны веб-бет те, лента да көтере алмайды: оны өшіріңіз (айналасындағы мәтінді қайта теріңіз; ол көбіне Word не PDF-тен қойылған мәтінмен келеді)",
        "{f0}: невидимый управляющий символ {1}, которого не может быть на веб-странице и в ленте: удалите его (перепечатайте текст вокруг; он часто приходит с текстом, вставленным из Word или PDF)",
    ),
    (
        "source_url `{}` must be a full address starting with https:// or http://",
        "source_url `{0}` толық мекенжай болуы керек, https:// немесе http:// деп басталады",
        "source_url `{0}` должен быть полным адресом, начинающимся с https:// или http://",
    ),
    (
        "alias `{}` is the address of a page of the site: remove it from aliases",
        "`{0}` ескі мекенжайы — сайттың өз бетінің мекенжайы: оны aliases тізімінен алып тастаңыз",
        "Старый адрес `{0}` — это адрес страницы сайта: уберите его из aliases",
    ),
    // Cities and partners.
    (
        "unknown city key `{}`: did you mean {}?",
        "`{0}` деген қала кілті жоқ: {1} болуы мүмкін бе?",
        "Неизвестный ключ города `{0}`: может быть, {1}?",
    ),
    (
        "unknown city key `{}`: add content/cities/{}.toml or use a known key",
        "`{0}` деген қала кілті жоқ: content/cities/{1}.toml файлын қосыңыз немесе бар кілтті алыңыз",
        "Неизвестный ключ города `{0}`: добавьте content/cities/{1}.toml или возьмите известный ключ",
    ),
    (
        "unknown city key `{}`: the keys are the file names in content/cities/: {}",
        "`{0}` деген қала кілті жоқ: кілттер — content/cities/ ішіндегі файл атаулары: {1}",
        "Неизвестный ключ города `{0}`: ключи — это имена файлов в content/cities/: {1}",
    ),
    (
        "partner `{}` is listed twice: remove one",
        "`{0}` серіктесі екі рет жазылған: біреуін алып тастаңыз",
        "Партнёр `{0}` указан дважды: уберите один",
    ),
    (
        "partners is empty: name at least one partner city key, e.g. partners = [\"shanghai\"]",
        "Серіктестер тізімі бос: кемінде бір серіктес қаланың кілтін жазыңыз, мысалы partners = [\"shanghai\"]",
        "Список партнёров пуст: укажите хотя бы один город-партнёр, например partners = [\"shanghai\"]",
    ),
    (
        "`{}` is the region and a partner at once: a partner is the other side",
        "`{0}` бір мезгілде өз өңір де, серіктес те болып тұр: серіктес — екінші тарап",
        "`{0}` указан и своим регионом, и партнёром: партнёр — это другая сторона",
    ),
    // Tags.
    (
        "tag `{}` has no letters or digits to make an address from: reword it",
        "`{0}` тегінде мекенжай жасайтын әріп не сан жоқ: оны басқаша жазыңыз",
        "В теге `{0}` нет букв и цифр, из которых получился бы адрес: переформулируйте его",
    ),
    (
        "tag `{}` makes the same address ({}) as the tag `{}` of other articles, so one would disappear from its articles: reword one of them so that each has an address of its own",
        "`{0}` тегі басқа мақалалардағы `{2}` тегімен бірдей мекенжай береді ({1}), сонда біреуі өз мақалаларынан жоғалар еді: әрқайсысының өз мекенжайы болатындай біреуін басқаша жазыңыз",
        "Тег `{0}` даёт тот же адрес ({1}), что и тег `{2}` других статей, и один из них пропал бы из своих статей: переформулируйте один из них, чтобы у каждого был свой адрес",
    ),
    (
        "tags `{}` and `{}` make one address ({}), so one would disappear: reword one of them so that it makes an address of its own, or keep one",
        "`{0}` және `{1}` тегтері бір мекенжай береді ({2}), сонда біреуі жоғалар еді: біреуін басқаша жазыңыз не біреуін ғана қалдырыңыз",
        "Теги `{0}` и `{1}` дают один адрес ({2}), и один из них пропал бы: переформулируйте один из них или оставьте один",
    ),
    // The file.
    ("the file is empty", "Файл бос", "Файл пуст"),
    (
        "the file is not UTF-8 text but looks like {}: save it as UTF-8 in your editor",
        "Файл UTF-8 мәтіні емес, {0} кодтамасына ұқсайды: оны редакторда UTF-8 ретінде сақтаңыз",
        "Файл не в кодировке UTF-8, а, похоже, в {0}: сохраните его в UTF-8 в редакторе",
    ),
    (
        "the file is not UTF-8 text: save it as UTF-8 in your editor",
        "Файл UTF-8 мәтіні емес: оны редакторда UTF-8 ретінде сақтаңыз",
        "Файл не в кодировке UTF-8: сохраните его в UTF-8 в редакторе",
    ),
    (
        "the front matter is never closed: add a line `+++` after its last line",
        "Front matter бөлімі жабылмаған: оның соңғы жолынан кейін `+++` жолын қосыңыз",
        "Блок front matter не закрыт: добавьте строку `+++` после его последней строки",
    ),
    (
        "{} also claims the article `{}` in `{}`: rename one of the two files",
        "{0} файлы да `{2}` тіліндегі `{1}` мақаласы болып тұр: екі файлдың бірінің атын өзгертіңіз",
        "{0} тоже претендует на статью `{1}` на языке `{2}`: переименуйте один из двух файлов",
    ),
    (
        "language `{}` is not one of the site's languages ({}): rename the file",
        "`{0}` тілі сайт тілдерінің ішінде жоқ ({1}): файлдың атын өзгертіңіз",
        "Язык `{0}` не входит в языки сайта ({1}): переименуйте файл",
    ),
    (
        "the file name needs a language: name it <stem>.<language>.md, e.g. {}",
        "Файл атында тіл болуы керек: оны <атауы>.<тіл>.md деп атаңыз, мысалы {0}",
        "В имени файла нужен язык: назовите его <имя>.<язык>.md, например {0}",
    ),
    (
        "the page `{}` would take the address of the site's own /…/{}/ pages: rename the file (e.g. {})",
        "`{0}` беті сайттың өз /…/{1}/ беттерінің мекенжайын алып қояр еді: файлдың атын өзгертіңіз (мысалы, {2})",
        "Страница `{0}` заняла бы адрес собственных страниц сайта /…/{1}/: переименуйте файл (например, {2})",
    ),
    (
        "kind = \"{}\" is not a kind of place: use city, region, province or country",
        "kind = \"{0}\" — мекен түрі емес: city, region, province не country жазыңыз",
        "kind = \"{0}\" — не вид места: укажите city, region, province или country",
    ),
    (
        "name has no `{}` text: add {} = \"…\"",
        "name ішінде `{0}` мәтіні жоқ: {1} = \"…\" қосыңыз",
        "В name нет текста на `{0}`: добавьте {1} = \"…\"",
    ),
    // What the body may not hold.
    (
        "HTML in the text (`{}`) is off: write it in Markdown; a site whose every editor is trusted may set [markdown] raw_html = true in site.toml",
        "Мәтіндегі HTML (`{0}`) өшірулі: оны Markdown-пен жазыңыз; барлық редакторына сенетін сайт site.toml ішінде [markdown] raw_html = true қоса алады",
        "HTML в тексте (`{0}`) отключён: напишите это на Markdown; сайт, где все редакторы доверенные, может включить [markdown] raw_html = true в site.toml",
    ),
    (
        "the link `{}` would run code in readers' browsers: link to a page or a file (https://…, /ru/…)",
        "`{0}` сілтемесі оқырмандардың браузерінде код іске қосар еді: бетке не файлға сілтеме жасаңыз (https://…, /ru/…)",
        "Ссылка `{0}` запустила бы код в браузерах читателей: ссылайтесь на страницу или файл (https://…, /ru/…)",
    ),
    // The review.
    (
        "[review] is for drafts: a published article (no `draft = true`) is past review; remove [review], or set draft = true",
        "[review] тек жобаға жазылады: жарияланған мақала (`draft = true` жоқ) тексеруден өткен; [review] бөлімін алып тастаңыз не draft = true қойыңыз",
        "[review] бывает только у черновика: опубликованная статья (без `draft = true`) уже прошла проверку; уберите [review] или поставьте draft = true",
    ),
    (
        "[review] state `{}` is not one the desk writes: `submitted` or `returned` (an approved article is simply not a draft)",
        "[review] ішіндегі `{0}` күйін редакция жазбайды: `submitted` не `returned` (мақұлданған мақала жай ғана жоба емес)",
        "Состояние `{0}` в [review] редакция не пишет: `submitted` или `returned` (одобренная статья — просто не черновик)",
    ),
    // Photos: `photo `name` …` with what is wrong with the file.
    (
        "photo `{}` has no alt text: add alt = \"…\" saying in this file's language ({}) what the photo shows, for readers who cannot see it",
        "`{0}` фотосында alt мәтіні жоқ: көре алмайтын оқырмандар үшін фотода не бар екенін осы файлдың тілінде ({1}) alt = \"…\" ішіне жазыңыз",
        "У фото `{0}` нет текста alt: напишите в alt = \"…\" на языке этого файла ({1}), что на фото, для читателей, которые его не видят",
    ),
    (
        "photo `{}` is listed twice: remove one",
        "`{0}` фотосы екі рет жазылған: біреуін алып тастаңыз",
        "Фото `{0}` указано дважды: уберите одно",
    ),
    (
        "photo `{}` must be a file name beside the article, without folders: put the photo next to the .md file",
        "`{0}` фотосы мақаланың жанындағы файл аты болуы керек, қалтасыз: фотоны .md файлының жанына қойыңыз",
        "Фото `{0}` должно быть именем файла рядом со статьёй, без папок: положите фото рядом с .md-файлом",
    ),
    (
        "photo `{}` is not a picture's file name: name a .jpg, .png or .webp file",
        "`{0}` сурет файлының аты емес: .jpg, .png не .webp файлын көрсетіңіз",
        "`{0}` — не имя файла изображения: укажите файл .jpg, .png или .webp",
    ),
    (
        "the photo's `file` is empty: name the photo file beside the article",
        "Фотоның `file` өрісі бос: мақаланың жанындағы фото файлының атын жазыңыз",
        "Поле `file` у фото пустое: укажите файл фото рядом со статьёй",
    ),
    ("photo `{}` {}", "`{0}` фотосы: {t1}", "Фото `{0}`: {t1}"),
    (
        "is not there: put the photo file beside the article's .md files, or correct the name",
        "ол жоқ: фото файлын мақаланың .md файлдарының жанына қойыңыз немесе атын түзетіңіз",
        "его нет: положите файл фото рядом с .md-файлами статьи или исправьте имя",
    ),
    ("is not a file", "бұл файл емес", "это не файл"),
    ("cannot be read: {}", "оқылмайды: {0}", "не читается: {0}"),
    (
        "is {} MB, more than the {} MB a photo may have: export it smaller",
        "{0} МБ, фотоға рұқсат етілген {1} МБ-тан көп: кішірек етіп экспорттаңыз",
        "{0} МБ — больше допустимых для фото {1} МБ: сохраните его меньшего размера",
    ),
    (
        "is {} pixels, more than the {} megapixels a photo may have: make it smaller (or raise `max_megapixels` in [photos] of site.toml)",
        "{0} пиксель, фотоға рұқсат етілген {1} мегапиксельден көп: кішірейтіңіз (немесе site.toml ішіндегі [photos] бөлімінде `max_megapixels` мәнін көбейтіңіз)",
        "{0} пикселей — больше допустимых для фото {1} мегапикселей: уменьшите его (или увеличьте `max_megapixels` в [photos] файла site.toml)",
    ),
    (
        "is a HEIC photo (an iPhone's format), which browsers cannot show: export it as JPEG (on the iPhone: Settings → Camera → Formats → Most Compatible; on a Mac: Preview → File → Export → JPEG)",
        "HEIC фотосы (iPhone пішімі), оны браузерлер көрсете алмайды: JPEG ретінде экспорттаңыз (iPhone-да: Параметрлер → Камера → Пішімдер → Ең үйлесімді; Mac-та: Preview → File → Export → JPEG)",
        "Это фото HEIC (формат iPhone), браузеры его не показывают: сохраните его как JPEG (на iPhone: Настройки → Камера → Форматы → Наиболее совместимый; на Mac: Просмотр → Файл → Экспортировать → JPEG)",
    ),
    (
        "is an AVIF image, which twinpress does not read: export it as JPEG or PNG",
        "AVIF суреті, twinpress оны оқымайды: JPEG не PNG ретінде экспорттаңыз",
        "Это изображение AVIF, twinpress его не читает: сохраните его как JPEG или PNG",
    ),
    (
        "is a GIF: save it as PNG (or JPEG for a photo)",
        "GIF файлы: PNG ретінде сақтаңыз (фото болса, JPEG)",
        "Это GIF: сохраните его как PNG (или JPEG, если это фото)",
    ),
    (
        "is a TIFF (or a camera's raw file): export it as JPEG",
        "TIFF (не камераның raw файлы): JPEG ретінде экспорттаңыз",
        "Это TIFF (или raw-файл камеры): сохраните его как JPEG",
    ),
    (
        "is a BMP: save it as PNG or JPEG",
        "BMP файлы: PNG не JPEG ретінде сақтаңыз",
        "Это BMP: сохраните его как PNG или JPEG",
    ),
    (
        "is a PDF, not a photo: export the picture as JPEG or PNG",
        "бұл фото емес, PDF: суретті JPEG не PNG ретінде экспорттаңыз",
        "Это PDF, а не фото: сохраните изображение как JPEG или PNG",
    ),
    (
        "is not a JPEG, PNG or WebP image (its first bytes say otherwise): export it as JPEG",
        "JPEG, PNG не WebP суреті емес (алғашқы байттары басқаны айтады): JPEG ретінде экспорттаңыз",
        "Это не изображение JPEG, PNG или WebP (его первые байты говорят другое): сохраните его как JPEG",
    ),
    (
        "is not a readable JPEG ({}): export it again from the camera or editor",
        "оқылатын JPEG емес ({0}): камерадан не редактордан қайта экспорттаңыз",
        "Это нечитаемый JPEG ({0}): сохраните его заново из камеры или редактора",
    ),
    (
        "is not a readable {} ({}): export it again",
        "оқылатын {0} емес ({1}): қайта экспорттаңыз",
        "Это нечитаемый {0} ({1}): сохраните его заново",
    ),
    // What the crawl before a deploy finds broken (the Publish page).
    (
        "links to /{}, which does not exist",
        "/{0} бетіне сілтеме бар, ал ондай бет жоқ",
        "ссылается на /{0}, а такой страницы нет",
    ),
    ("/{} is missing", "/{0} жоқ", "/{0} отсутствует"),
    (
        "is not well-formed XML: {}",
        "дұрыс құрылған XML емес: {0}",
        "это неправильно составленный XML: {0}",
    ),
    (
        "hreflang=\"{}\" points to /{}, which does not point back",
        "hreflang=\"{0}\" /{1} бетіне апарады, ал ол кері сілтемейді",
        "hreflang=\"{0}\" ведёт на /{1}, а та не ссылается обратно",
    ),
    (
        "hreflang=\"{}\" points to /{}, whose <html lang> is {}",
        "hreflang=\"{0}\" /{1} бетіне апарады, ал оның <html lang> мәні {2}",
        "hreflang=\"{0}\" ведёт на /{1}, а у неё <html lang> = {2}",
    ),
    // Accounts (the admin's page says what `twinpress user` would).
    (
        "The password is too short: use at least {} characters (a phrase of several words is best)",
        "Құпиясөз тым қысқа: кемінде {0} таңба жазыңыз (бірнеше сөзден тұратын тіркес ең жақсысы)",
        "Пароль слишком короткий: не меньше {0} символов (лучше всего фраза из нескольких слов)",
    ),
    (
        "The password is too long: use at most {} characters",
        "Құпиясөз тым ұзын: ең көбі {0} таңба",
        "Пароль слишком длинный: не больше {0} символов",
    ),
    (
        "The password contains the account's name: choose another",
        "Құпиясөзде есептік жазбаның аты бар: басқасын таңдаңыз",
        "Пароль содержит имя учётной записи: выберите другой",
    ),
    (
        "The password is one of the commonest, the first an attacker tries: choose another",
        "Бұл құпиясөз ең жиі кездесетіндердің бірі, шабуылдаушы алдымен соны тексереді: басқасын таңдаңыз",
        "Это один из самых распространённых паролей, его взломщик пробует первым: выберите другой",
    ),
    (
        "`{}` cannot be an account's name: use 1 to 32 small Latin letters, digits, `.`, `_` or `-`, beginning with a letter (aigerim, a.nurlanovna)",
        "`{0}` есептік жазбаның аты бола алмайды: әріптен басталатын 1–32 кіші латын әрпін, санды, `.`, `_` не `-` пайдаланыңыз (aigerim, a.nurlanovna)",
        "`{0}` не может быть именем учётной записи: 1–32 строчные латинские буквы, цифры, `.`, `_` или `-`, начиная с буквы (aigerim, a.nurlanovna)",
    ),
    (
        "There is an account `{}` already: `twinpress user passwd {}` sets its password",
        "`{0}` есептік жазбасы бар: оның құпиясөзін осы беттегі «Құпиясөзді ауыстыру» (немесе `twinpress user passwd {1}`) өзгертеді",
        "Учётная запись `{0}` уже есть: её пароль меняет «Сменить пароль» на этой странице (или `twinpress user passwd {1}`)",
    ),
    (
        "There is no account `{}`: `twinpress user list` lists them",
        "`{0}` есептік жазбасы жоқ",
        "Учётной записи `{0}` нет",
    ),
    (
        "`{}` is not an e-mail address (name@example.kz)",
        "`{0}` — электрондық пошта мекенжайы емес (name@example.kz)",
        "`{0}` — не адрес электронной почты (name@example.kz)",
    ),
    (
        "`{}` is not a role: author, editor or admin",
        "`{0}` — рөл емес: author, editor не admin",
        "`{0}` — не роль: author, editor или admin",
    ),
];

/// The names a problem gives a field, for `{f0}`.
const FIELDS: &[(&str, &str, &str)] = &[
    ("the title", "Тақырып", "Заголовок"),
    ("the text", "Мәтін", "Текст"),
    ("summary", "Қысқаша мазмұны", "Краткое содержание"),
    ("source", "Дереккөз", "Источник"),
    ("photo_credit", "Фото авторы", "Автор фото"),
];

/// One entry as a pattern: the English with each `{}` a lazy group, anchored at both ends.
struct Entry {
    pattern: regex::Regex,
    kk: &'static str,
    ru: &'static str,
}

fn entries() -> &'static [Entry] {
    static ALL: OnceLock<Vec<Entry>> = OnceLock::new();
    ALL.get_or_init(|| {
        ENTRIES
            .iter()
            .map(|(en, kk, ru)| {
                let pieces: Vec<String> = en.split("{}").map(regex::escape).collect();
                let pattern = format!("(?s)^{}$", pieces.join("(.*?)"));
                Entry {
                    pattern: regex::Regex::new(&pattern).expect("the catalogue's patterns are escaped text"),
                    kk,
                    ru,
                }
            })
            .collect()
    })
}

/// `message` (the build's words) in `ui` (`kk` or `ru`); `None` when the catalogue has no entry.
pub fn translate(message: &str, ui: &str) -> Option<String> {
    if ui != "kk" && ui != "ru" {
        return Some(message.to_string());
    }
    let (e, values) = entries().iter().find_map(|e| {
        let found = e.pattern.captures(message)?;
        let values: Vec<String> = found
            .iter()
            .skip(1)
            .map(|m| m.map_or("", |m| m.as_str()).to_string())
            .collect();
        Some((e, values))
    })?;
    let mut out = if ui == "kk" { e.kk } else { e.ru }.to_string();
    for (i, v) in values.iter().enumerate() {
        out = out.replace(&format!("{{{i}}}"), v);
        if out.contains(&format!("{{t{i}}}")) {
            // A message inside a message: untranslated, the whole is.
            out = out.replace(&format!("{{t{i}}}"), &translate(v, ui)?);
        }
        if out.contains(&format!("{{f{i}}}")) {
            let field = FIELDS
                .iter()
                .find(|(en, _, _)| en == v)
                .map_or(v.as_str(), |(_, kk, ru)| if ui == "kk" { kk } else { ru });
            out = out.replace(&format!("{{f{i}}}"), field);
        }
    }
    Some(out)
}

/// A problem as the desk lists it (`line 3: …`, or the message alone) in `ui`, English where
/// the catalogue has no entry.
pub fn problem(text: &str, ui: &str) -> String {
    let (line, message) = match text.strip_prefix("line ").and_then(|r| r.split_once(": ")) {
        Some((n, m)) if n.bytes().all(|b| b.is_ascii_digit()) => (Some(n), m),
        _ => (None, text),
    };
    let said = translate(message, ui).unwrap_or_else(|| message.to_string());
    match (line, ui) {
        (Some(n), "kk") => format!("{n}-жол: {said}"),
        (Some(n), "ru") => format!("строка {n}: {said}"),
        (Some(n), _) => format!("line {n}: {said}"),
        (None, _) => said,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_has_both_languages_and_uses_each_value() {
        for (en, kk, ru) in ENTRIES {
            let n = en.matches("{}").count();
            for (lang, text) in [("kk", kk), ("ru", ru)] {
                assert!(!text.is_empty(), "{en}: no {lang}");
                for i in 0..n {
                    let used = [format!("{{{i}}}"), format!("{{t{i}}}"), format!("{{f{i}}}")]
                        .iter()
                        .any(|p| text.contains(p.as_str()));
                    assert!(used, "{en}: the {lang} does not say value {i}");
                }
            }
        }
    }

    #[test]
    fn values_land_in_their_places_and_nested_messages_are_translated() {
        assert_eq!(
            translate("unknown field `regoin`; did you mean `region`?", "ru").unwrap(),
            "Неизвестное поле `regoin`; может быть, `region`?"
        );
        assert_eq!(
            translate("photo `x-1.gif` is a GIF: save it as PNG (or JPEG for a photo)", "kk").unwrap(),
            "`x-1.gif` фотосы: GIF файлы: PNG ретінде сақтаңыз (фото болса, JPEG)"
        );
        assert_eq!(
            problem("line 4: the title is empty: write the headline in title = \"…\"", "kk"),
            "4-жол: Тақырып бос: оны title = \"…\" ішіне жазыңыз"
        );
        assert_eq!(translate("a message no one wrote", "ru"), None);
        assert_eq!(problem("a message no one wrote", "ru"), "a message no one wrote");
    }

    #[test]
    fn what_an_admin_is_told_about_accounts_is_in_both_languages() {
        use crate::desk::accounts::{Role, Users};
        let mut users = Users::default();
        users.add("dana", None, Role::Editor, "a-long-enough-one").unwrap();
        let errors = [
            users.clone().add("erlan", None, Role::Author, "short").unwrap_err(),
            users
                .clone()
                .add("erlan", None, Role::Author, &"x".repeat(300))
                .unwrap_err(),
            users
                .clone()
                .add("erlan", None, Role::Author, "erlan-erlan-1")
                .unwrap_err(),
            users
                .clone()
                .add("erlan", None, Role::Author, "password123")
                .unwrap_err(),
            users
                .clone()
                .add("Erlan", None, Role::Author, "a-long-enough-one")
                .unwrap_err(),
            users
                .clone()
                .add("dana", None, Role::Author, "a-long-enough-one")
                .unwrap_err(),
            users
                .clone()
                .add("erlan", Some("no address"), Role::Author, "a-long-enough-one")
                .unwrap_err(),
            users.clone().remove("nobody").unwrap_err(),
            Role::parse("boss").unwrap_err(),
        ];
        for e in errors {
            for ui in ["kk", "ru"] {
                assert!(translate(&e.to_string(), ui).is_some(), "{ui}: {e}");
            }
        }
    }
}
