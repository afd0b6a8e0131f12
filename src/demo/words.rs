//! Word lists for the demo practice: Austrian and German names (with umlauts), places,
//! diagnoses and the building blocks of German progress notes.

pub const GIVEN: &[&str] = &[
    "Anna", "Lena", "Sophie", "Marie", "Jürgen", "Jörg", "Bärbel", "Günther", "Özlem", "Zoë",
    "Lukas", "Felix", "Maximilian", "Tobias", "Katharina", "Theresa", "Sebastian", "Elisabeth",
    "Michael", "Andrea", "Stefan", "Sabine", "Florian", "Verena", "Matthias", "Birgit", "Dominik",
    "Johanna", "Rüdiger", "Käthe", "Björn", "Sören", "Gülay", "Lea", "Paul", "Jonas", "Clara",
    "Hannah", "Moritz", "Valentina", "René", "Chloé", "Franziska", "Wolfgang", "Ursula", "Helga",
];

pub const FAMILY: &[&str] = &[
    "Müller", "Gruber", "Huber", "Wagner", "Pichler", "Steiner", "Moser", "Mayer", "Hofer",
    "Bauer", "Schröder", "Schäfer", "Köhler", "Weiß", "Krämer", "Fröhlich", "Größ", "Lötsch",
    "Brunner", "Eder", "Fischer", "Schwarz", "Wimmer", "Egger", "Lehner", "Haas", "Schmid",
    "Wolf", "Berger", "Fuchs", "Schneider", "Zöchling", "Hölzl", "Mössner", "Dörfler",
    "Jäger", "Kühn", "Böhm", "Süß", "Öztürk", "Nowak", "Horvat", "Kovač", "Yılmaz", "Strauß",
];

pub const STREETS: &[&str] = &[
    "Hauptstraße", "Schulgasse", "Mariahilfer Straße", "Lindengasse", "Bahnhofstraße",
    "Kirchweg", "Gartenstraße", "Am Anger", "Rathausplatz", "Mühlweg", "Grazer Straße",
    "Brückengasse", "Südtiroler Platz", "Schloßberg", "Königstraße",
];

/// (postal code, city, country)
pub const PLACES: &[(&str, &str, &str)] = &[
    ("1070", "Wien", "AT"), ("1180", "Wien", "AT"), ("8010", "Graz", "AT"), ("4020", "Linz", "AT"),
    ("5020", "Salzburg", "AT"), ("6020", "Innsbruck", "AT"), ("9020", "Klagenfurt", "AT"),
    ("3100", "St. Pölten", "AT"), ("80331", "München", "DE"), ("10115", "Berlin", "DE"),
    ("50667", "Köln", "DE"), ("20095", "Hamburg", "DE"), ("04109", "Leipzig", "DE"),
    ("90402", "Nürnberg", "DE"),
];

pub const INSURERS_AT: &[&str] = &["ÖGK", "BVAEB", "SVS", "KFA Wien"];
pub const INSURERS_DE: &[&str] = &["AOK Bayern", "Techniker Krankenkasse", "Barmer", "DAK-Gesundheit"];

pub const DIAGNOSES: &[(&str, &str)] = &[
    ("F32.1", "Mittelgradige depressive Episode"),
    ("F33.1", "Rezidivierende depressive Störung, gegenwärtig mittelgradige Episode"),
    ("F41.1", "Generalisierte Angststörung"),
    ("F41.0", "Panikstörung"),
    ("F43.1", "Posttraumatische Belastungsstörung"),
    ("F43.2", "Anpassungsstörungen"),
    ("F40.1", "Soziale Phobien"),
    ("F42.1", "Vorwiegend Zwangshandlungen"),
    ("F50.2", "Bulimia nervosa"),
    ("F60.31", "Emotional instabile Persönlichkeitsstörung, Borderline-Typ"),
    ("F45.0", "Somatisierungsstörung"),
    ("F10.2", "Psychische und Verhaltensstörungen durch Alkohol: Abhängigkeitssyndrom"),
];

/// Sentences of a progress note; `{n}` is the client's given name, `{t}` a topic.
pub const SENTENCES: &[&str] = &[
    "{n} berichtet von einer belastenden Woche, in der vor allem {t} im Vordergrund stand.",
    "Die Stimmung wirkt heute gedrückt, der Antrieb ist reduziert, Suizidalität wird glaubhaft verneint.",
    "Wir haben an der Wahrnehmung früher Warnsignale gearbeitet und einen Notfallplan ergänzt.",
    "Im Gespräch über {t} zeigte sich deutliche Anspannung, die im Verlauf der Stunde nachließ.",
    "{n} konnte erstmals benennen, welche Situationen die Angst verstärken und welche sie lindern.",
    "Die vereinbarten Übungen zur Achtsamkeit wurden nach eigener Aussage regelmäßig durchgeführt.",
    "Thema war außerdem die Beziehung zur Herkunftsfamilie, insbesondere zum Vater.",
    "Schlafstörungen bestehen weiterhin, das Schlaftagebuch zeigt jedoch eine leichte Besserung.",
    "Es wurde eine Expositionsübung in kleinen Schritten besprochen und für die nächste Woche geplant.",
    "{n} äußert Zweifel am Nutzen der Therapie; wir haben die Ziele gemeinsam überprüft.",
    "Ressourcen: stabile Freundschaften, Freude an Bewegung in der Natur, Humor.",
    "Die Rückmeldung zur letzten Einheit war positiv, die Hausaufgabe wurde als hilfreich erlebt.",
    "Im Rollenspiel übten wir, Grenzen gegenüber Kolleg*innen klar und freundlich zu formulieren.",
    "Körperliche Beschwerden wie Herzrasen und Schwindel traten seltener auf als im Vormonat.",
    "Wir haben die Auslöser für Grübelschleifen gesammelt und alternative Gedanken formuliert.",
    "Der Umgang mit Kränkungen am Arbeitsplatz war ein zentrales Thema der heutigen Sitzung.",
    "{n} wirkte zugewandt und reflektiert, die therapeutische Beziehung ist tragfähig.",
    "Nächste Schritte: Wochenplan mit angenehmen Aktivitäten, Fortsetzung des Schlaftagebuchs.",
    "Besprochen wurde auch die Frage einer fachärztlichen Abklärung der Medikation.",
    "Die Trauer um die verstorbene Großmutter nahm heute viel Raum ein; Tränen waren möglich.",
];

pub const TOPICS: &[&str] = &[
    "die Arbeitssituation", "die Partnerschaft", "die Trennung", "der Umzug", "die Prüfungsangst",
    "der Konflikt mit der Schwester", "die Überforderung im Alltag", "die Einsamkeit",
    "die Erziehung der Kinder", "die Pflege der Mutter", "die Kündigung", "die Schulden",
    "die Rückkehr an den Arbeitsplatz", "das Grübeln am Abend", "die Eifersucht",
];
