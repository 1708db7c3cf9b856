// Entities mentioned in more documents of a window than the months before it predict (kg trends).
// params: until (default latest document date), months (integer 1..120; default 3), limit (default 20)
// The window is the $months calendar months ending with the month of $until (cut at
// $until); the period before is as many months just before it. Counts are documents.
// expected = before * documents in window / documents before; score = (now - expected)
// / sqrt(expected + 1), as graph.trends.rising ranks; at least 2 documents in the window.
WITH toInteger(substring($until, 0, 4)) * 12 + toInteger(substring($until, 5, 2)) - $months AS first
WITH [m IN [first, first - $months] |
      toString(m / 12) + '-' + CASE WHEN m % 12 < 9 THEN '0' ELSE '' END + toString(m % 12 + 1) + '-01']
     AS starts
WITH starts[0] AS since, starts[1] AS before_since
MATCH (d:Document)
WHERE d.date >= before_since AND d.date <= $until
WITH since, before_since,
     sum(CASE WHEN d.date >= since THEN 1 ELSE 0 END) AS in_window,
     sum(CASE WHEN d.date < since THEN 1 ELSE 0 END) AS in_before
MATCH (x:Document)-[:MENTIONS]->(e)
WHERE x.date <> ''
WITH since, before_since, in_window, in_before, e, min(x.date) AS first_seen,
     sum(CASE WHEN x.date >= since AND x.date <= $until THEN 1 ELSE 0 END) AS now,
     sum(CASE WHEN x.date >= before_since AND x.date < since THEN 1 ELSE 0 END) AS before
WHERE now >= 2
WITH since, e, first_seen, now, before,
     CASE WHEN in_before = 0 THEN 0.0 ELSE toFloat(before) * in_window / in_before END AS expected
WHERE now > expected
RETURN labels(e)[0] AS label, e.name AS name, now, before,
       toFloat(round(expected * 1000)) / 1000 AS expected,
       toFloat(round((now - expected) / sqrt(expected + 1) * 1000)) / 1000 AS score,
       first_seen, first_seen >= since AS new, since AS window_since
ORDER BY score DESC, now DESC, name
LIMIT $limit
