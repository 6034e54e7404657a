/**
 * Word lists the generated articles are written from: common German and English words (nouns,
 * verbs, adjectives, function words), umlauts and ß included so that folding and search see
 * realistic text. Sentences are random, lengths and structure are what matter to the benchmark.
 */
export const germanWords = `
der die das und in zu den nicht von sie ist des sich mit dem dass er es ein ich auf so eine auch als an
nach wie im für man aber aus durch wenn nur war noch werden bei hat wir was wird sein einen welche sind
oder zur um haben einer mir über ihm diese einem ihr uns da zum kann doch vor dieser mich ihn du hatte
seine mehr am denn nun unter sehr selbst schon hier bis habe ihre dann ihnen seiner alle wieder meine
Arbeit Unternehmen Gehalt Karriere Führung Mitarbeiter Markt Wirtschaft Entwicklung Zukunft Team Ziel
Gespräch Erfahrung Wissen Beruf Stelle Bewerbung Zeugnis Urlaub Kollegen Chef Büro Homeoffice Projekt
Lösung Frage Antwort Studie Prozent Jahr Monat Woche Tag Stunde Geld Kosten Steuer Rente Vertrag Recht
Gesetz Regel Beispiel Grund Möglichkeit Größe Qualität Veränderung Verantwortung Vertrauen Motivation
Stärke Schwäche Fähigkeit Ausbildung Studium Weiterbildung Prüfung Ergebnis Erfolg Misserfolg Risiko
Chance Kunde Produkt Dienstleistung Branche Region Stadt Land Europa Deutschland Österreich Schweiz
wichtig groß klein neu alt gut schlecht schnell langsam einfach schwierig möglich nötig richtig falsch
günstig teuer stark schwach klar offen ehrlich fair modern digital persönlich öffentlich regelmäßig
arbeiten verdienen verhandeln führen lernen zeigen finden helfen sprechen fragen antworten planen
entscheiden wechseln kündigen bewerben verändern wachsen sparen zahlen prüfen beginnen beenden
verstehen erklären erreichen verbessern müssen können sollen wollen dürfen gehören bleiben bringen
heute morgen gestern immer oft selten manchmal vielleicht wirklich besonders genau etwa fast ganz gemeinsam
`;

export const englishWords = `
the of and to a in is it you that he was for on are with as his they be at one have this from or had by
not word but what some we can out other were all there when up use your how said an each she which do
their time if will way about many then them write would like so these her long make thing see him two
has look more day could go come did number sound most people my over know water than call first who
work company salary career leadership employee market economy growth future team goal meeting
experience knowledge job position application interview holiday colleague manager office remote project
solution question answer study percent year month week hour money cost tax pension contract law rule
example reason chance quality change responsibility trust motivation strength weakness skill training
degree course exam result success failure risk customer product service industry region city country
important large small new old good bad fast slow simple difficult possible necessary right wrong cheap
expensive strong weak clear open honest fair modern digital personal public regular
earn negotiate lead learn show find help speak ask plan decide switch quit apply grow save pay check
begin finish understand explain reach improve must should might often rarely sometimes really
especially exactly almost quite together today tomorrow yesterday always
`;

export function wordsOf(list: string): string[] {
  return list.split(/\s+/).filter(Boolean);
}

export const firstNames = wordsOf(`
Anna Lena Mira Sophie Laura Julia Sarah Lea Hannah Marie Clara Emma Nina Paula Greta Jana Katrin Eva Ines
Tom Jonas Lukas Felix Paul Max David Jan Tim Niklas Ben Elias Moritz Simon Erik Jakob Noah Leon Karl Jörg
`);

export const lastNames = wordsOf(`
Berger Hoffmann Okafor Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Koch Richter Klein
Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann Hartmann Lange Schmitt Werner Krause Meier
Lehmann Köhler Huber Kaiser Fuchs Peters Lang Scholz Möller Weiß Jung Hahn Vogel Friedrich Keller Günther
`);
