"""Russian extraction by dictionary form and by the codebook (issue #11, Russian round):
table-driven cases in sentences we wrote, with names, places and numbers of our own."""

from __future__ import annotations

import pytest

from extract import extract_incidents


def rows(text: str, published: str = "2023-01-18") -> list[tuple]:
    return sorted((r.type, r.stage, r.count, r.region) for r in extract_incidents(text, {"published": published}))


CASES = [
    pytest.param("Об этом рассказал 23-летний Олег, дезертировавший из армии прошлой осенью.",
                 [("desertion", "", 1, "")], id="a man named by a participle of what he did is one man"),
    pytest.param("Из части в Омской области сбежали 12 военнослужащих. Пятерых сбежавших задержали в Тюмени.",
                 [("desertion", "", 12, "RU-OMS"), ("prosecution", "detained", 5, "RU-TYU")],
                 id="some of the group named by what they did are its members"),
    pytest.param("Десятки мобилизованных из Ульяновска покинули военную часть.", [("desertion", "", None, "RU-ULY")],
                 id="leaving a unit named with an adjective"),
    pytest.param("Рядовой Олег Сомов из Тверской области ушёл из расположения части.",
                 [("desertion", "", 1, "RU-TVE")], id="going out of a unit's quarters"),
    pytest.param("Ефрейтор Семён Лыков из Пензы не желает участвовать в боевых действиях.",
                 [("refusal", "", 1, "RU-PNZ")], id="not wanting to fight, any verb of wish"),
    pytest.param("Сержант Игорь Белов из Курска перешёл на сторону Украины.", [("desertion", "", 1, "RU-KRS")],
                 id="crossing over to the other side"),
    pytest.param("Юрист рассказал, что мобилизованный ушёл из воинской части в Орловской области. Против него "
                 "возбудили уголовное дело о самовольном оставлении части.",
                 [("desertion", "", 1, "RU-ORL"), ("prosecution", "investigated", 1, "RU-ORL")],
                 id="a prosecution that names no place took place where the act did"),
    pytest.param("Тверской гарнизонный военный суд приговорил контрактника Олега Зуева к трём годам за неисполнение "
                 "приказа.", [("prosecution", "convicted", 1, "RU-TVE"), ("refusal", "", 1, "RU-TVE")],
                 id="a court named by its town's adjective is the trial's seat"),
    pytest.param("Кировский районный суд арестовал контрактника Олега Зуева, сбежавшего из части.",
                 [("desertion", "", 1, ""), ("prosecution", "detained", 1, "")],
                 id="a district court is named after a city district, not a town"),
    pytest.param("По словам 31-летнего Антона Грачёва, служба была невыносимой. Грачёв рассказал, что в июле "
                 "дезертировал из своей части.", [("desertion", "", 1, "")],
                 id="a man introduced by his age, later called by surname alone"),
    pytest.param("Двое контрактников из Пермского края сбежали из части. Позже обоих задержали.",
                 [("desertion", "", 2, "RU-PER"), ("prosecution", "detained", 2, "RU-PER")],
                 id="a Russian detention in its own sentence with no court words"),
    pytest.param("Трое мобилизованных из Омска отказались идти в бой. Их держали в подвале.",
                 [("prosecution", "detained", 3, "RU-OMS"), ("refusal", "", 3, "RU-OMS")],
                 id="a detention told of them by pronoun"),
    pytest.param("Бывший штурмовик дал интервью. Он рассказал, что в марте перешёл на сторону Украины.",
                 [("desertion", "", 1, "")], id="one man told of by pronoun, in an article that counts no group"),
    pytest.param("He said that in March he deserted from his unit near Kursk.", [("desertion", "", 1, "RU-KRS")],
                 id="one man told of by pronoun, in English"),
    pytest.param("Контрактника Руслана Гараева из Тулы приговорили к году колонии за трёхнедельное отсутствие в части.",
                 [("desertion", "", 1, "RU-TUL"), ("prosecution", "convicted", 1, "RU-TUL")],
                 id="an absence from the unit is a desertion and the offence of a sentence"),
    pytest.param("Рядовой Лев Ситников из Пскова отказался идти на штурм, и его на неделю посадили в яму.",
                 [("prosecution", "detained", 1, "RU-PSK"), ("refusal", "", 1, "RU-PSK")],
                 id="put into a pit"),
    pytest.param("Гарнизонный суд в Туле приговорил контрактника Инала Дзеранова к году колонии за дезертирство. "
                 "Суд в Воронеже отклонил жалобу защиты Дзеранова и оставил приговор контрактнику в силе.",
                 [("desertion", "", 1, "RU-TUL"), ("prosecution", "convicted", 1, "RU-TUL")],
                 id="a single serviceman noun beside a named man's surname is that man"),
    pytest.param("В 2023 году в суды поступило 500 дел о самоволке. Как следует из решения Курского гарнизонного "
                 "суда, подсудимый нарочно ушёл из части ради увольнения.",
                 [("desertion", "", 1, "RU-KRS")], id="a defendant is one man"),
    pytest.param("Сержант Тимур Бекоев из Нальчика отказался ехать на фронт. Через неделю его уволили за отказ.",
                 [("prosecution", "investigated", 1, "RU-KB"), ("refusal", "", 1, "RU-KB")],
                 id="a dismissal for the refusal is a sanction"),
    pytest.param("Брат Олега Рябова, казнённого после сдачи украинцам бойца ЧВК, дал интервью.",
                 [("desertion", "", 1, ""), ("prosecution", "killed", 1, "")],
                 id="surrender to the enemy and an execution"),
    pytest.param("В Омске возбудили первое уголовное дело о самовольном оставлении части в период мобилизации.",
                 [("prosecution", "investigated", 1, "RU-OMS")], id="the first case is one man's"),
    pytest.param("Рядовой Глеб Шустов из Перми несколько раз пытался расторгнуть контракт.",
                 [("refusal", "", 1, "RU-PER")], id="trying to end his contract is trying to quit"),
    pytest.param("Контрактник Дмитрий Рогов из Кемерово сбежал с позиций. Позже Рогова задержали.",
                 [("desertion", "", 1, "RU-KEM"), ("prosecution", "detained", 1, "RU-KEM")],
                 id="a detention of the man named in the act, by surname, with no court words"),
    pytest.param("Военнослужащих, не пожелавших возвращаться на фронт, отправили на гауптвахту.",
                 [("prosecution", "detained", None, ""), ("refusal", "", None, "")], id="a guardhouse"),
    pytest.param("Около двадцати мобилизованных из Иркутска покинули полигон.", [("desertion", "", 20, "RU-IRK")],
                 id="leaving a training ground"),
    pytest.param("Полсотни военных из Курганской области отказались воевать.", [("refusal", "", 50, "RU-KGN")],
                 id="half a hundred"),
    pytest.param("Рядовой Виктор Голубев был приговорён к 5 годам за неявку на службу.",
                 [("desertion", "", 1, ""), ("prosecution", "convicted", 1, "")],
                 id="failing to report for service is an offence of desertion"),
    pytest.param("Двенадцать мобилизованных из Башкирии сложили оружие и ушли с позиций.",
                 [("desertion", "", 12, "RU-BA"), ("refusal", "", 12, "RU-BA")],
                 id="laying down arms and walking off the positions"),
    pytest.param("Суд в Пензе приговорил контрактника Олега Шевчука к году колонии. Позже Шевчук сбежал из колонии-"
                 "поселения и ушёл из части.",
                 [("desertion", "", 1, "RU-PNZ"), ("prosecution", "convicted", 1, "RU-PNZ")],
                 id="a surname in a hard consonant, declined as a noun, is one man"),
    pytest.param("Мобилизованный из Вологды Семён Жарков получил повестку и попросил об альтернативной гражданской "
                 "службе.", [("refusal", "", 1, "RU-VLG")], id="a mobilized man asking for alternative service"),
    pytest.param("Мобилизованный из Самары Денис Уваров пропал из части, его объявили в розыск.",
                 [("desertion", "", 1, "RU-SAM"), ("prosecution", "investigated", 1, "RU-SAM")],
                 id="vanishing from the unit"),
    pytest.param("Курский гарнизонный военный суд отправил в колонию контрактника, трижды сбегавшего из части.",
                 [("desertion", "", 1, "RU-KRS"), ("prosecution", "convicted", 1, "RU-KRS")],
                 id="the imperfective of running away, a habit of one man"),
    pytest.param("Власти Грузии отказались выдать 30-летнего контрактника Игоря Носова, который сбежал из армии. Это "
                 "осложнило отношения Тбилиси с Москвой. Носов родом из села Кубинка Тамбовской области.",
                 [("desertion", "", 1, "RU-TAM")], id="a capital named as the state is no place; a village's region"),
    pytest.param("Москва заявила о задержании рядового Павла Лунина, бежавшего из части.",
                 [("desertion", "", 1, ""), ("prosecution", "detained", 1, "")],
                 id="a capital speaking as the state is no place"),
    pytest.param("Суд отказал мобилизованному жителю Выборга Антону Серову, который просил о переводе на "
                 "альтернативную гражданскую службу.", [("refusal", "", 1, "RU-LEN")],
                 id="a resident of a town named before his own name"),
    pytest.param("Северный окружной военный суд в Самаре рассмотрел жалобу. По версии обвинения, контрактник "
                 "Олег Рябов уехал из части и три месяца оставался дома.",
                 [("desertion", "", 1, ""), ("prosecution", "charged", 1, "RU-SAM")],
                 id="a district court's seat is no place of the act"),
    pytest.param("По словам 30-летнего Ильи Крылова, ещё в марте он сказал командиру, что он против войны.",
                 [("refusal", "", 1, "")], id="opposition to the war told to a commander"),
    pytest.param("Рядовой Олег Фомин рассказал, что о своём неприятии войны он сразу заявил командованию.",
                 [("refusal", "", 1, "")], id="opposition to the war told to the command, in another order"),
    pytest.param("Хабаровский гарнизонный военный суд приговорил мобилизованного из Читы к двум годам колонии за "
                 "отказ воевать.", [("prosecution", "convicted", 1, "RU-KHA"), ("refusal", "", 1, "RU-KHA")],
                 id="a garrison court tries its garrison's men: their unit is where they refused"),
    pytest.param("По данным следствия, мобилизованный отказался выполнить приказ о выдвижении на позиции.",
                 [("refusal", "", 1, "")], id="one man's act as investigators tell it is no statistic"),
    pytest.param("По данным полиции, в Омске самовольно покинули свою часть 12 военнослужащих.",
                 [("desertion", "", 12, "RU-OMS")], id="a group's act as the police tell it is no statistic"),
    pytest.param("В Тыве задержали 14 солдат, которые самовольно оставили воинскую часть. В апреле сообщалось о "
                 "задержании россиянина, который сбежал из армии. Как рассказали в полиции, против жителя Кургана "
                 "возбудили уголовное дело о дезертирстве.",
                 [("desertion", "", 14, "RU-TY"), ("prosecution", "detained", 14, "RU-TY"),
                  ("desertion", "", 1, "RU-KGN"), ("prosecution", "detained", 1, "RU-KGN")],
                 id="a man an earlier report told of is not one of the group"),
    pytest.param("Из части в Омской области сбежали 12 военнослужащих. Местный житель рассказал, что видел, как они "
                 "бежали к вокзалу.", [("desertion", "", 12, "RU-OMS")], id="a local witness is no second man"),
    pytest.param("Рядовой Олег Пахомов сбежал из части в Омске. Нередко военная полиция месяцами держит таких "
                 "беглецов в подвале.", [("desertion", "", 1, "RU-OMS")], id="what often happens is a habit, no act"),
    pytest.param("Лётчик Пётр Юдин, угнавший вертолёт, дал интервью. Об этом сообщил министр Игорь Данилов.",
                 [("desertion", "", 1, "")], id="a town spelt as a speaker's surname is no place of the opening"),
    pytest.param("Рядовой Пётр Зотов дезертировал и уехал во Францию. Там он столкнулся с угрозой высылки: юристы "
                 "пытаются понять, чем вызван отказ ведомства.", [("desertion", "", 1, "")],
                 id="a foreign state's threat of deportation and its office's refusal tell no act of his"),
    pytest.param("Двенадцать военных на юге Брянской области покинули свою часть.", [("desertion", "", 12, "RU-BRY")],
                 id="a few men in a part of a region are a group"),
    pytest.param("Против контрактника возбудили дело о неисполнении приказа: он отказался ехать на фронт. Следователи "
                 "также впервые возбудили дело о самовольном оставлении части мобилизованным.",
                 [("refusal", "", 1, ""), ("prosecution", "investigated", 1, ""),
                  ("prosecution", "investigated", 1, "")],
                 id="an unnamed man's case for another offence is another man's"),
    pytest.param("Мобилизованный Роман Ткачёв из Липецка написал в чате, что ни на какой фронт не поедет.",
                 [("refusal", "", 1, "RU-LIP")], id="saying one will not go, in the third person"),
]


NOT_INCIDENTS = [
    pytest.param("Более 600 военных на Дальнем Востоке сбежали со службы.", id="hundreds over a part of the country"),
    pytest.param("Самовольное оставление части — это когда военнослужащий уходит из расположения без разрешения.",
                 id="a definition of the offence"),
    pytest.param("По данным «Медиазоны», самовольно покинули свои части 1200 военнослужащих.",
                 id="many men counted as someone's data are a tally"),
    pytest.param("Фонд «Свободный путь» за время войны помог уехать 900 военнослужащим, сбежавшим из армии.",
                 id="a project's count over the whole war is a tally"),
    pytest.param("По статье о самовольном оставлении части хотели осудить рядового Олега Зуева, но суд его оправдал.",
                 id="a wish to convict"),
    pytest.param("В Вологде призвали 4 тысячи мужчин, многие из них погибли, дезертировали или пропали без вести.",
                 id="many of them: no identifiable group"),
    pytest.param("Контрактники не могут расторгнуть контракт до конца СВО.", id="what contract soldiers cannot do"),
    pytest.param("Но множество мужчин не хотят воевать.", id="a present-tense unwillingness of many is no act"),
    pytest.param("Украинский десантник был осуждён на четыре года за отказ идти в атаку. Российские войска тем "
                 "временем наступали.", id="one Ukrainian soldier, in an article that also names Russia's"),
]


@pytest.mark.parametrize("text", NOT_INCIDENTS)
def test_russian_not_incidents(text):
    assert rows(text) == []


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_russian_rows(text, expected):
    assert rows(text) == sorted(expected)
