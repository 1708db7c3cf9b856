// When a concept was first mentioned, and the first people heard discussing it, with the sentence.
// params: name (Concept; default most mentioned), limit (default 5)
MATCH (c:Concept)
WHERE c.name = $name OR $name IN c.aliases
OPTIONAL MATCH (d:Document)-[:MENTIONS]->(c)
WHERE d.date <> ''
WITH c, min(d.date) AS first_seen
MATCH (p:Person)-[r:DISCUSSES]->(c)
UNWIND range(0, size(r.evidence_docs) - 1) AS i
MATCH (doc:Document {name: r.evidence_docs[i]})
WHERE doc.date <> ''
WITH c, first_seen, p, doc, r.evidence_sentences[i] AS sentence
ORDER BY doc.date, doc.name, p.name, sentence
WITH c, first_seen, p, collect({date: doc.date, document: doc.name, sentence: sentence})[0] AS said
RETURN c.name AS concept, first_seen, p.name AS person, said.date AS date,
       said.document AS document, said.sentence AS sentence
ORDER BY date, document, person
LIMIT $limit
