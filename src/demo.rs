//! The demo academy (`akademia demo`): WARNiK – Wielkopolska Akademia Rzecznictwa NGO i Kooperacji,
//! 2021–2022, with 14 gmina teams around Leszno (42 fictional people). Loading twice changes nothing.

use crate::db::Db;
use crate::db::audit::Actor;
use crate::db::users::{self, User};
use crate::domain::Role;
use crate::domain::fold::fold;
use crate::error::{AppError, AppResult};
use crate::service::programmes::{self, CohortInput, ProgrammeInput};
use crate::service::users::{self as user_service, NewUserInput};
use crate::service::{enrolments, import};

pub const PASSWORD: &str = "demo-akademia";
pub const COORDINATOR: &str = "koordynator@demo.akademia.pl";
pub const TRAINER: &str = "trener@demo.akademia.pl";
pub const FUNDER: &str = "grantodawca@demo.akademia.pl";
pub const ADMIN: &str = "admin@demo.akademia.pl";
pub const PROGRAMME: &str = "warnik";
pub const COHORT: &str = "warnik-2021";

/// The 14 gminas (real TERYT codes), each with its office and a fictional local NGO.
const GMINAS: [(&str, &str, &str); 14] = [
    (
        "3063011",
        "Urząd Miasta Leszna",
        "Fundacja Leszczyńska Inicjatywa Obywatelska",
    ),
    (
        "3013043",
        "Urząd Gminy i Miasta Rydzyna",
        "Stowarzyszenie Przyjaciół Ziemi Rydzyńskiej",
    ),
    (
        "3013033",
        "Urząd Gminy i Miasta Osieczna",
        "Stowarzyszenie „Razem dla Osiecznej”",
    ),
    (
        "3013052",
        "Urząd Gminy Święciechowa",
        "Koło Gospodyń Wiejskich „Święciechowianki”",
    ),
    (
        "3013022",
        "Urząd Gminy Lipno",
        "Stowarzyszenie Seniorów Gminy Lipno",
    ),
    (
        "3013012",
        "Urząd Gminy Krzemieniewo",
        "Fundacja „Aktywna Wieś Krzemieniewo”",
    ),
    (
        "3013072",
        "Urząd Gminy Włoszakowice",
        "Towarzystwo Przyjaciół Ziemi Włoszakowickiej",
    ),
    (
        "3013062",
        "Urząd Gminy Wijewo",
        "Stowarzyszenie „Wijewo – Nasza Mała Ojczyzna”",
    ),
    (
        "3011053",
        "Urząd Miejski Śmigla",
        "Śmigielskie Forum Kobiet",
    ),
    (
        "3011011",
        "Urząd Miejski w Kościanie",
        "Kościańskie Centrum Wolontariatu",
    ),
    (
        "3004023",
        "Urząd Miejski w Gostyniu",
        "Fundacja „Gostyńska Przystań”",
    ),
    (
        "3004033",
        "Urząd Miejski w Krobi",
        "Stowarzyszenie Biskupiańskie „Krobia Razem”",
    ),
    (
        "3022053",
        "Urząd Miejski Gminy Rawicz",
        "Rawickie Stowarzyszenie Pomocy Rodzinie",
    ),
    (
        "3022013",
        "Urząd Miejski w Bojanowie",
        "Stowarzyszenie „Bojanowo dla Wszystkich”",
    ),
];

/// Per gmina: the official, the NGO person and the person at risk (first, last, sex, birth year).
const PEOPLE: [[(&str, &str, &str, u16); 3]; 14] = [
    [
        ("Agnieszka", "Wiśniewska", "K", 1978),
        ("Michał", "Konieczny", "M", 1984),
        ("Stanisława", "Przybył", "K", 1949),
    ],
    [
        ("Katarzyna", "Nowicka", "K", 1982),
        ("Tomasz", "Jankowiak", "M", 1976),
        ("Henryk", "Maćkowiak", "M", 1955),
    ],
    [
        ("Beata", "Śliwińska", "K", 1971),
        ("Joanna", "Łuczak", "K", 1988),
        ("Krzysztof", "Woźniak", "M", 1968),
    ],
    [
        ("Marta", "Kaczmarek", "K", 1986),
        ("Halina", "Grześkowiak", "K", 1958),
        ("Zofia", "Ratajczak", "K", 1944),
    ],
    [
        ("Paweł", "Dudziak", "M", 1980),
        ("Elżbieta", "Kubiak", "K", 1963),
        ("Janina", "Sobczak", "K", 1950),
    ],
    [
        ("Monika", "Jóźwiak", "K", 1990),
        ("Grzegorz", "Stróżyński", "M", 1979),
        ("Bogdan", "Pietrzak", "M", 1961),
    ],
    [
        ("Aleksandra", "Matuszewska", "K", 1985),
        ("Ryszard", "Świątek", "M", 1957),
        ("Teresa", "Wawrzyniak", "K", 1947),
    ],
    [
        ("Dorota", "Kaźmierczak", "K", 1974),
        ("Łukasz", "Michalak", "M", 1992),
        ("Marianna", "Frąckowiak", "K", 1939),
    ],
    [
        ("Anna", "Żak", "K", 1983),
        ("Małgorzata", "Szymańska", "K", 1970),
        ("Władysław", "Nowak", "M", 1952),
    ],
    [
        ("Iwona", "Głowacka", "K", 1977),
        ("Piotr", "Bączyk", "M", 1981),
        ("Danuta", "Ciesielska", "K", 1956),
    ],
    [
        ("Ewa", "Marciniak", "K", 1969),
        ("Jakub", "Wojciechowski", "M", 1991),
        ("Zdzisław", "Błaszczyk", "M", 1946),
    ],
    [
        ("Renata", "Jędrzejczak", "K", 1979),
        ("Barbara", "Dutkiewicz", "K", 1966),
        ("Kazimierz", "Olejniczak", "M", 1958),
    ],
    [
        ("Jolanta", "Pawlak", "K", 1973),
        ("Adam", "Stachowiak", "M", 1987),
        ("Krystyna", "Gąsiorek", "K", 1953),
    ],
    [
        ("Sylwia", "Bartkowiak", "K", 1989),
        ("Mirosław", "Nawrocki", "M", 1972),
        ("Irena", "Łakomy", "K", 1948),
    ],
];

async fn ensure_user(db: &Db, email: &str, name: &str, role: Role) -> AppResult<User> {
    if let Some(user) = users::find_by_email(db, email).await? {
        return Ok(user);
    }
    let input = NewUserInput {
        email: email.to_owned(),
        name: name.to_owned(),
        role: role.as_str().to_owned(),
        password: PASSWORD.to_owned(),
        password_confirm: None,
    };
    user_service::create(db, &Actor::system(), &input).await
}

/// The participants as a CSV in the contract's Polish layout (what a coordinator would upload).
fn participants_csv() -> String {
    let mut csv =
        String::from("imię;nazwisko;email;telefon;gmina;grupa;organizacja;płeć;rok_urodzenia\n");
    for (i, ((teryt, office, ngo), team)) in GMINAS.iter().zip(PEOPLE.iter()).enumerate() {
        for (slot, (first, last, sex, year)) in team.iter().enumerate() {
            let (group, organisation, email) = match slot {
                0 => (
                    "urzędnik",
                    *office,
                    format!("{}.{}@urzad.example.pl", fold(first), fold(last)),
                ),
                1 => (
                    "ngo",
                    *ngo,
                    format!("{}.{}@ngo.example.org", fold(first), fold(last)),
                ),
                _ => ("onw", "", String::new()),
            };
            let phone = if slot == 2 {
                format!("+48 600 {:03} {:03}", 100 + i, 200 + i * 7)
            } else {
                String::new()
            };
            csv.push_str(&format!(
                "{first};{last};{email};{phone};{teryt};{group};{organisation};{sex};{year}\n"
            ));
        }
    }
    csv
}

/// Loads the demo academy and returns what to tell the person at the terminal.
pub async fn load(db: &Db) -> AppResult<String> {
    ensure_user(db, ADMIN, "Administrator Demo", Role::Admin).await?;
    let coordinator = ensure_user(
        db,
        COORDINATOR,
        "Katarzyna Koordynatorska",
        Role::Coordinator,
    )
    .await?;
    ensure_user(db, TRAINER, "Tomasz Trenerski", Role::Trainer).await?;
    ensure_user(db, FUNDER, "Grażyna Grantowa", Role::Funder).await?;

    let programme = match programmes::find_programme(db, PROGRAMME).await? {
        Some(p) => p,
        None => {
            let input = ProgrammeInput {
                name: "WARNiK – Wielkopolska Akademia Rzecznictwa NGO i Kooperacji".into(),
                slug: PROGRAMME.into(),
                funder: "Aktywni Obywatele – Fundusz Regionalny (Fundusze EOG)".into(),
                grant_amount: "84393".into(),
                grant_currency: "EUR".into(),
                starts_on: "2021-01-04".into(),
                ends_on: "2022-10-31".into(),
                partners: "Newschool, Oslo, Norwegia".into(),
                acknowledgement: "Projekt realizowany w ramach programu Aktywni Obywatele – Fundusz Regionalny, \
                                  finansowanego przez Islandię, Liechtenstein i Norwegię ze środków Funduszy EOG."
                    .into(),
                archived: false,
            };
            programmes::create(db, &coordinator, &input).await?
        }
    };
    if !crate::db::programmes::is_member(db, programme.id, coordinator.id).await? {
        let admin = users::find_by_email(db, ADMIN)
            .await?
            .ok_or(AppError::NotFound)?;
        programmes::add_member(db, &admin, PROGRAMME, COORDINATOR).await?;
    }
    let cohort = match programmes::find_cohort(db, COHORT).await? {
        Some(c) => c,
        None => {
            let input = CohortInput {
                programme: programme.id.to_string(),
                name: "WARNiK 2021–2022".into(),
                slug: COHORT.into(),
                starts_on: "2021-03-01".into(),
                ends_on: "2022-10-31".into(),
                archived: false,
            };
            programmes::create_cohort(db, &coordinator, &input).await?
        }
    };
    let (_, enrolled) = enrolments::list(db, &coordinator, COHORT).await?;
    if enrolled.is_empty() {
        import::import(
            db,
            &Actor::user(&coordinator),
            &cohort,
            participants_csv().as_bytes(),
            false,
        )
        .await?;
    }
    Ok(format!(
        "Demo academy loaded: programme \"{}\", cohort {} (42 participants in 14 gmina teams).\n\
         Logins (password {PASSWORD}):\n  {COORDINATOR} (coordinator)\n  {TRAINER} (trainer)\n  {FUNDER} (funder)\n  {ADMIN} (admin)",
        programme.name, cohort.slug
    ))
}
