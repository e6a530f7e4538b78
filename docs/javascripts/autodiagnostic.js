/*
 * Virage: digital maturity self-assessment ("autodiagnostic de maturité numérique").
 *
 * Runs entirely in the browser. No network request, no library, no external asset.
 * Answers are kept in this browser's localStorage only (key STORAGE_KEY) and can be erased
 * with the "Effacer mes réponses" button.
 *
 * Scoring, documented on docs/boite-a-outils/autodiagnostic.md and mirrored by
 * tests/docs/test_docs_browser.py:
 *   - every answer is an integer from 0 to 4;
 *   - score of an axis for a category of actors = round(sum * 25 / count) over the answered
 *     questions of that axis and category: a percentage of the maximum;
 *   - "Ensemble" score of an axis = the same formula over every answered question of the axis,
 *     all categories together (categories weigh by their number of answers, not equally);
 *   - overall score = the same formula over every answered question.
 * Rounding is half up (Math.round on non-negative numbers). Computing sum * 25 / count (not
 * mean * 25) keeps .5 cases exact in floating point.
 *
 * The script only acts on pages holding #autodiag-form. It runs on DOMContentLoaded and, if
 * Material's document$ observable exists (instant loading), on each page switch; a flag on the
 * form prevents a second initialisation.
 */
(function () {
  "use strict";

  var STORAGE_KEY = "virage-autodiagnostic-v1";
  var TOOL_VERSION = 1;
  var SVG_NS = "http://www.w3.org/2000/svg";

  // ---------------------------------------------------------------------------------------
  // Content: scale, axes, categories of actors and their questions (French, shown to readers)
  // ---------------------------------------------------------------------------------------

  var SCALE = [
    { value: 0, label: "Pas du tout" },
    { value: 1, label: "Un peu" },
    { value: 2, label: "À moitié" },
    { value: 3, label: "Largement" },
    { value: 4, label: "Tout à fait" },
  ];

  var AXES = [
    { id: "equipement", label: "Équipement et réseau", short: "Équipement et réseau" },
    { id: "usages", label: "Usages et compétences", short: "Usages et compétences" },
    { id: "pilotage", label: "Organisation et pilotage du projet", short: "Organisation et pilotage" },
    { id: "donnees", label: "Protection des données et sécurité", short: "Protection des données" },
    { id: "adhesion", label: "Appétence et adhésion", short: "Appétence et adhésion" },
    { id: "qvct", label: "Qualité de vie et conditions de travail", short: "QVCT" },
  ];

  var CATEGORIES = [
    {
      id: "direction",
      label: "Direction",
      who: "Direction, direction adjointe, administrateurs impliqués dans le projet.",
      color: "#00695c",
      dash: "",
      questions: {
        equipement: [
          "Je sais quels matériels, logiciels et abonnements la structure utilise, y compris les outils que les équipes ont choisis d'elles-mêmes.",
          "La connexion internet des locaux et la couverture mobile sur les lieux d'intervention ont été vérifiées pour les usages prévus.",
        ],
        usages: [
          "J'utilise moi-même, au quotidien, les outils numériques que nous demandons aux équipes d'utiliser.",
          "Du temps et un budget de formation sont prévus pour chaque outil, y compris pour les personnes qui arrivent en cours de route.",
        ],
        pilotage: [
          "Les finalités de notre démarche numérique sont écrites, classées par priorité et connues des équipes.",
          "Un pilote interne est désigné, avec du temps dégagé pour le projet, et un comité de pilotage se réunit à dates fixes.",
        ],
        donnees: [
          "Je sais qui est notre délégué à la protection des données (DPO) et notre registre des traitements est à jour.",
          "Nos contrats avec les éditeurs disent où sont hébergées les données des personnes accompagnées et comment les récupérer en fin de contrat.",
        ],
        adhesion: [
          "J'attends du projet numérique un bénéfice pour les personnes accompagnées et pour les équipes, pas seulement une réponse aux obligations de reporting.",
          "Les représentants du personnel sont informés et associés au projet dès son lancement.",
        ],
        qvct: [
          "Les effets du projet sur la charge et l'organisation du travail ont été analysés avant le choix de l'outil.",
          "Des règles écrites encadrent le droit à la déconnexion et l'usage des données d'activité des salariés.",
        ],
      },
    },
    {
      id: "encadrement",
      label: "Coordination et encadrement",
      who: "IDEC, chefs de service, responsables de secteur, coordinatrices et coordinateurs.",
      color: "#d84315",
      dash: "10 5",
      questions: {
        equipement: [
          "Les plannings, agendas et coordonnées dont j'ai besoin sont accessibles depuis un poste ou un appareil fiable.",
          "Quand un appareil tombe en panne ou se perd, l'équipe sait à qui s'adresser et obtient vite un remplacement.",
        ],
        usages: [
          "Je suis à l'aise pour organiser les plannings et suivre les transmissions avec les outils de la structure.",
          "Je sais repérer les collègues en difficulté avec les outils et leur proposer de l'aide, par exemple entre pairs.",
        ],
        pilotage: [
          "Je participe au groupe de travail du projet et mon avis compte dans les choix.",
          "Les nouvelles règles de travail (qui saisit quoi, quand, qui relit) sont écrites et connues de l'équipe.",
        ],
        donnees: [
          "Je sais quelles informations sur les personnes accompagnées chaque métier peut consulter, et pourquoi.",
          "Les informations sensibles ne circulent ni par SMS, ni par des messageries grand public, ni par courriel non sécurisé.",
        ],
        adhesion: [
          "Je me sens capable d'expliquer à mon équipe pourquoi nous changeons d'outil.",
          "Des référents ou ambassadeurs métiers existent dans mon équipe et leur rôle est reconnu.",
        ],
        qvct: [
          "Les outils m'aident à coordonner l'équipe plutôt qu'à surveiller l'activité de chacun.",
          "Le temps de saisie et de transmission est compté dans l'organisation du travail de l'équipe.",
        ],
      },
    },
    {
      id: "terrain",
      label: "Professionnels de terrain",
      who: "Aides-soignants, AES, infirmiers, aides à domicile, éducateurs, travailleurs sociaux…",
      color: "#5e35b1",
      dash: "3 4",
      questions: {
        equipement: [
          "J'ai un appareil professionnel (téléphone, tablette) qui fonctionne et dont la batterie tient la journée.",
          "Là où j'interviens, la connexion suffit pour consulter et enregistrer ce qui est utile, ou l'outil fonctionne sans réseau.",
        ],
        usages: [
          "Je sais utiliser les outils de mon service pour les tâches de ma journée (planning, transmissions, dossier).",
          "J'ai reçu une formation pratique, sur mon temps de travail, et je sais à qui demander de l'aide.",
        ],
        pilotage: [
          "Des collègues de terrain ont participé au choix et aux essais de l'outil.",
          "Je sais ce que le projet doit changer concrètement dans mon travail, et à partir de quand.",
        ],
        donnees: [
          "Je sais ce qui peut être écrit dans une transmission et ce qui relève du secret professionnel.",
          "Je verrouille mon appareil et je ne prête pas mes identifiants.",
        ],
        adhesion: [
          "Je pense que l'outil peut me faire gagner du temps ou améliorer l'accompagnement des personnes.",
          "Je peux signaler un problème ou proposer une amélioration de l'outil, et j'obtiens une réponse.",
        ],
        qvct: [
          "L'outil ne me sollicite pas en dehors de mes heures de travail.",
          "Je sais quelles données l'outil enregistre sur mon activité (horaires, lieux) et qui peut les voir.",
        ],
      },
    },
    {
      id: "administratif",
      label: "Personnel administratif",
      who: "Accueil, secrétariat, planification, facturation, ressources humaines, comptabilité.",
      color: "#1565c0",
      dash: "14 4 3 4",
      questions: {
        equipement: [
          "Mon poste de travail et mes logiciels sont assez rapides et tenus à jour.",
          "Les logiciels que j'utilise échangent leurs données sans double saisie (planning, facturation, paie, dossier).",
        ],
        usages: [
          "Je maîtrise les fonctions des logiciels utiles à mon travail.",
          "Je peux fixer un rendez-vous ou transmettre une information aux équipes de terrain sans devoir les appeler.",
        ],
        pilotage: [
          "Les tâches administratives que le projet modifie (saisie, contrôles, facturation) ont été décrites avant le déploiement.",
          "Je sais qui contacter, en interne ou chez l'éditeur, quand un logiciel pose problème.",
        ],
        donnees: [
          "Je vérifie l'identité d'une personne accompagnée (dont son INS) avant d'enregistrer un document à son nom.",
          "Les documents qui contiennent des données personnelles sont rangés, conservés et détruits selon des règles connues.",
        ],
        adhesion: [
          "Je vois l'intérêt du projet pour mon propre travail.",
          "Je suis tenu(e) informé(e) de l'avancement du projet.",
        ],
        qvct: [
          "Le projet n'a pas ajouté de ressaisies ou de contrôles sans retirer d'autres tâches.",
          "Les interruptions (appels, messages, alertes) sont organisées pour me laisser des plages de travail au calme.",
        ],
      },
    },
  ];

  var OVERALL = { id: "ensemble", label: "Ensemble", color: "#212121", dash: "" };

  // Levels: our own reading grid, stated as such on the page.
  var LEVELS = [
    { min: 75, label: "Solide" },
    { min: 50, label: "En progression" },
    { min: 25, label: "Fragile" },
    { min: 0, label: "À construire" },
  ];

  var GAP_THRESHOLD = 25; // points between two categories on one axis worth discussing

  // ---------------------------------------------------------------------------------------
  // Helpers
  // ---------------------------------------------------------------------------------------

  function questionList() {
    var list = [];
    CATEGORIES.forEach(function (cat) {
      AXES.forEach(function (axe) {
        (cat.questions[axe.id] || []).forEach(function (text, index) {
          list.push({
            id: cat.id + "-" + axe.id + "-" + (index + 1),
            categorie: cat.id,
            axe: axe.id,
            text: text,
          });
        });
      });
    });
    return list;
  }

  function h(tag, attrs, children) {
    var node = document.createElement(tag);
    setAttrs(node, attrs);
    appendChildren(node, children);
    return node;
  }

  function s(tag, attrs, children) {
    var node = document.createElementNS(SVG_NS, tag);
    setAttrs(node, attrs);
    appendChildren(node, children);
    return node;
  }

  function setAttrs(node, attrs) {
    Object.keys(attrs || {}).forEach(function (key) {
      var value = attrs[key];
      if (value === null || value === undefined || value === false) return;
      node.setAttribute(key, value === true ? "" : String(value));
    });
  }

  function appendChildren(node, children) {
    if (children === null || children === undefined) return;
    if (!Array.isArray(children)) children = [children];
    children.forEach(function (child) {
      if (child === null || child === undefined) return;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
  }

  function percent(sum, count) {
    return count ? Math.round((sum * 25) / count) : null;
  }

  function formatPercent(value) {
    return value === null ? "—" : value + "\u202f%";
  }

  function levelOf(value) {
    if (value === null) return "";
    for (var i = 0; i < LEVELS.length; i++) {
      if (value >= LEVELS[i].min) return LEVELS[i].label;
    }
    return "";
  }

  function axisById(id) {
    return AXES.filter(function (a) { return a.id === id; })[0];
  }

  function seriesLabel(id) {
    if (id === OVERALL.id) return OVERALL.label;
    return CATEGORIES.filter(function (c) { return c.id === id; })[0].label;
  }

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  function isoDate(d) {
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }

  function frenchDateTime(d) {
    return pad(d.getDate()) + "/" + pad(d.getMonth() + 1) + "/" + d.getFullYear() +
      " à " + pad(d.getHours()) + " h " + pad(d.getMinutes());
  }

  // ---------------------------------------------------------------------------------------
  // Storage (this browser only)
  // ---------------------------------------------------------------------------------------

  function loadState() {
    try {
      var raw = window.localStorage.getItem(STORAGE_KEY);
      if (!raw) return null;
      var state = JSON.parse(raw);
      return state && typeof state === "object" ? state : null;
    } catch (e) {
      return null;
    }
  }

  function saveState(state) {
    try {
      window.localStorage.setItem(STORAGE_KEY, JSON.stringify(state));
      return true;
    } catch (e) {
      return false;
    }
  }

  function clearState() {
    try {
      window.localStorage.removeItem(STORAGE_KEY);
    } catch (e) {
      /* storage unavailable: nothing was kept */
    }
  }

  // ---------------------------------------------------------------------------------------
  // Form
  // ---------------------------------------------------------------------------------------

  function buildQuestionnaire(container) {
    var number = 0;
    var nav = h("ul", { class: "autodiag-sommaire" });
    CATEGORIES.forEach(function (cat) {
      nav.appendChild(h("li", {}, h("a", { href: "#autodiag-cat-" + cat.id }, cat.label)));
    });
    container.appendChild(h("nav", { class: "autodiag-nav", "aria-label": "Catégories d'acteurs" }, [
      h("p", {}, "Aller à la catégorie :"),
      nav,
    ]));

    CATEGORIES.forEach(function (cat) {
      var catSet = h("fieldset", {
        class: "autodiag-categorie",
        id: "autodiag-cat-" + cat.id,
        "data-categorie": cat.id,
      }, [
        h("legend", {}, cat.label),
        h("p", { class: "autodiag-qui" }, cat.who),
        h("p", {
          class: "autodiag-progression",
          id: "autodiag-progression-" + cat.id,
          "aria-live": "polite",
        }),
      ]);
      AXES.forEach(function (axe) {
        var block = h("div", { class: "autodiag-bloc-axe", "data-axe": axe.id }, [
          h("p", { class: "autodiag-axe-titre" }, axe.label),
        ]);
        (cat.questions[axe.id] || []).forEach(function (text, index) {
          number += 1;
          var qid = cat.id + "-" + axe.id + "-" + (index + 1);
          var scale = h("div", { class: "autodiag-echelle" });
          SCALE.forEach(function (step) {
            var inputId = "autodiag-" + qid + "-" + step.value;
            scale.appendChild(h("label", { for: inputId }, [
              h("input", {
                type: "radio",
                id: inputId,
                name: "q-" + qid,
                value: step.value,
                "data-question": qid,
                "data-axe": axe.id,
                "data-categorie": cat.id,
              }),
              h("span", { class: "autodiag-valeur" }, String(step.value)),
              h("span", { class: "autodiag-libelle" }, step.label),
            ]));
          });
          block.appendChild(h("fieldset", {
            class: "autodiag-question",
            "data-question": qid,
          }, [
            h("legend", {}, [
              h("span", { class: "autodiag-numero" }, number + ". "),
              text,
              h("span", { class: "autodiag-contexte" }, " (" + cat.label + ", " + axe.label + ")"),
            ]),
            scale,
          ]));
        });
        catSet.appendChild(block);
      });
      container.appendChild(catSet);
    });
  }

  function readAnswers(form) {
    var answers = {};
    var inputs = form.querySelectorAll("input[type=radio][data-question]:checked");
    for (var i = 0; i < inputs.length; i++) {
      answers[inputs[i].getAttribute("data-question")] = parseInt(inputs[i].value, 10);
    }
    return answers;
  }

  function applyAnswers(form, answers) {
    Object.keys(answers || {}).forEach(function (qid) {
      var value = answers[qid];
      if (typeof value !== "number" || value < 0 || value > 4) return;
      var input = form.querySelector(
        'input[type=radio][data-question="' + qid + '"][value="' + value + '"]'
      );
      if (input) input.checked = true;
    });
  }

  function updateProgress(form, answers) {
    CATEGORIES.forEach(function (cat) {
      var total = 0;
      var done = 0;
      AXES.forEach(function (axe) {
        (cat.questions[axe.id] || []).forEach(function (_, index) {
          total += 1;
          if (answers[cat.id + "-" + axe.id + "-" + (index + 1)] !== undefined) done += 1;
        });
      });
      var node = form.querySelector("#autodiag-progression-" + cat.id);
      if (node) {
        node.textContent = done + (done > 1 ? " réponses" : " réponse") + " sur " + total +
          (done === 0 ? " — laissez vide si cette catégorie n'existe pas chez vous." : ".");
      }
    });
  }

  // ---------------------------------------------------------------------------------------
  // Scores
  // ---------------------------------------------------------------------------------------

  function computeScores(answers) {
    var questions = questionList();
    var series = CATEGORIES.map(function (c) { return c.id; }).concat([OVERALL.id]);
    var acc = {};
    series.forEach(function (sid) {
      acc[sid] = {};
      AXES.forEach(function (axe) { acc[sid][axe.id] = { sum: 0, count: 0 }; });
    });
    var totals = {};
    series.forEach(function (sid) { totals[sid] = { sum: 0, count: 0 }; });
    questions.forEach(function (q) {
      var value = answers[q.id];
      if (value === undefined) return;
      [q.categorie, OVERALL.id].forEach(function (sid) {
        acc[sid][q.axe].sum += value;
        acc[sid][q.axe].count += 1;
        totals[sid].sum += value;
        totals[sid].count += 1;
      });
    });
    var scores = {};
    series.forEach(function (sid) {
      scores[sid] = {};
      AXES.forEach(function (axe) {
        scores[sid][axe.id] = percent(acc[sid][axe.id].sum, acc[sid][axe.id].count);
      });
    });
    var perCategoryOverall = {};
    series.forEach(function (sid) {
      perCategoryOverall[sid] = percent(totals[sid].sum, totals[sid].count);
    });
    return {
      answers: answers,
      scores: scores,
      perCategoryOverall: perCategoryOverall,
      overall: perCategoryOverall[OVERALL.id],
      answered: totals[OVERALL.id].count,
      total: questions.length,
    };
  }

  function isComplete(seriesScores) {
    return AXES.every(function (axe) { return seriesScores[axe.id] !== null; });
  }

  // ---------------------------------------------------------------------------------------
  // Radar chart (inline SVG)
  // ---------------------------------------------------------------------------------------

  function wrapLabel(text, max) {
    var words = text.split(" ");
    var lines = [];
    var line = "";
    words.forEach(function (word) {
      if (line && (line + " " + word).length > max) {
        lines.push(line);
        line = word;
      } else {
        line = line ? line + " " + word : word;
      }
    });
    if (line) lines.push(line);
    return lines;
  }

  function buildRadar(result) {
    var width = 660;
    var height = 500;
    var cx = width / 2;
    var cy = height / 2;
    var radius = 190;
    var n = AXES.length;

    function point(i, value) {
      var angle = -Math.PI / 2 + (2 * Math.PI * i) / n;
      var r = (radius * value) / 100;
      return [cx + r * Math.cos(angle), cy + r * Math.sin(angle)];
    }

    function pointsAttr(values) {
      return values.map(function (v, i) {
        var p = point(i, v);
        return p[0].toFixed(1) + "," + p[1].toFixed(1);
      }).join(" ");
    }

    var drawn = [];
    CATEGORIES.concat([OVERALL]).forEach(function (serie) {
      if (isComplete(result.scores[serie.id])) drawn.push(serie);
    });

    var descParts = drawn.map(function (serie) {
      return serie.label + " : " + AXES.map(function (axe) {
        return axe.short + " " + result.scores[serie.id][axe.id] + " %";
      }).join(", ");
    });

    var svg = s("svg", {
      id: "autodiag-radar",
      class: "autodiag-radar",
      viewBox: "0 0 " + width + " " + height,
      role: "img",
      "aria-labelledby": "autodiag-radar-titre autodiag-radar-desc",
      xmlns: SVG_NS,
    }, [
      s("title", { id: "autodiag-radar-titre" }, "Radar de maturité numérique par axe"),
      s("desc", { id: "autodiag-radar-desc" },
        drawn.length ? descParts.join(". ") + "." : "Aucune série complète à tracer."),
    ]);

    var grid = s("g", { class: "autodiag-grille" });
    [25, 50, 75, 100].forEach(function (level) {
      grid.appendChild(s("polygon", {
        class: "autodiag-anneau",
        points: pointsAttr(AXES.map(function () { return level; })),
      }));
      var p = point(0, level);
      grid.appendChild(s("text", {
        class: "autodiag-graduation",
        x: (p[0] + 4).toFixed(1),
        y: (p[1] - 3).toFixed(1),
      }, level + " %"));
    });
    AXES.forEach(function (axe, i) {
      var end = point(i, 100);
      grid.appendChild(s("line", {
        class: "autodiag-rayon",
        x1: cx, y1: cy, x2: end[0].toFixed(1), y2: end[1].toFixed(1),
      }));
      var angle = -Math.PI / 2 + (2 * Math.PI * i) / n;
      var cos = Math.cos(angle);
      var sin = Math.sin(angle);
      var lp = point(i, 100 + 14);
      var anchor = Math.abs(cos) < 0.01 ? "middle" : cos > 0 ? "start" : "end";
      var lines = wrapLabel(axe.short, 16);
      var lineHeight = 16;
      var y0 = lp[1] + 5;
      if (sin < -0.01) y0 = lp[1] - (lines.length - 1) * lineHeight; // above the chart: grow upwards
      else if (Math.abs(sin) <= 0.01) y0 = lp[1] + 5 - ((lines.length - 1) * lineHeight) / 2;
      else if (sin > 0.01 && Math.abs(cos) < 0.01) y0 = lp[1] + 12;
      var text = s("text", {
        class: "autodiag-etiquette",
        "text-anchor": anchor,
        "data-axe": axe.id,
      });
      lines.forEach(function (line, k) {
        text.appendChild(s("tspan", {
          x: lp[0].toFixed(1),
          y: (y0 + k * lineHeight).toFixed(1),
        }, line));
      });
      grid.appendChild(text);
    });
    svg.appendChild(grid);

    drawn.forEach(function (serie) {
      var values = AXES.map(function (axe) { return result.scores[serie.id][axe.id]; });
      var group = s("g", { class: "autodiag-groupe", "data-serie": serie.id });
      group.appendChild(s("polygon", {
        class: "autodiag-serie" + (serie.id === OVERALL.id ? " autodiag-serie-ensemble" : ""),
        "data-serie": serie.id,
        points: pointsAttr(values),
        fill: serie.color,
        "fill-opacity": serie.id === OVERALL.id ? 0.08 : 0.1,
        stroke: serie.color,
        "stroke-width": serie.id === OVERALL.id ? 3.5 : 2,
        "stroke-dasharray": serie.dash || null,
      }));
      values.forEach(function (v, i) {
        var p = point(i, v);
        group.appendChild(s("circle", {
          class: "autodiag-sommet",
          cx: p[0].toFixed(1),
          cy: p[1].toFixed(1),
          r: serie.id === OVERALL.id ? 4.5 : 3.5,
          fill: serie.color,
        }, s("title", {}, serie.label + " — " + AXES[i].label + " : " + v + " %")));
      });
      svg.appendChild(group);
    });
    return { svg: svg, drawn: drawn };
  }

  function buildLegend(drawn) {
    var list = h("ul", { class: "autodiag-legende" });
    drawn.forEach(function (serie) {
      var swatch = s("svg", { width: 36, height: 12, "aria-hidden": "true", focusable: "false" }, [
        s("line", {
          x1: 1, y1: 6, x2: 35, y2: 6,
          stroke: serie.color,
          "stroke-width": serie.id === OVERALL.id ? 3.5 : 2.5,
          "stroke-dasharray": serie.dash || null,
        }),
      ]);
      list.appendChild(h("li", { "data-serie": serie.id }, [swatch, " " + serie.label]));
    });
    return list;
  }

  // ---------------------------------------------------------------------------------------
  // Results
  // ---------------------------------------------------------------------------------------

  function buildTable(result) {
    var series = CATEGORIES.concat([OVERALL]);
    var headRow = h("tr", {}, [h("th", { scope: "col" }, "Axe")]);
    series.forEach(function (serie) {
      headRow.appendChild(h("th", { scope: "col", "data-categorie": serie.id }, serie.label));
    });
    var body = h("tbody");
    AXES.forEach(function (axe) {
      var row = h("tr", { "data-axe-ligne": axe.id }, [h("th", { scope: "row" }, axe.label)]);
      series.forEach(function (serie) {
        var value = result.scores[serie.id][axe.id];
        row.appendChild(h("td", {
          "data-axe": axe.id,
          "data-categorie": serie.id,
          "data-score": value === null ? "" : value,
          class: serie.id === OVERALL.id ? "autodiag-col-ensemble" : null,
        }, formatPercent(value)));
      });
      body.appendChild(row);
    });
    var perCategoryOverall = result.perCategoryOverall;
    var totalRow = h("tr", { class: "autodiag-ligne-total" }, [
      h("th", { scope: "row" }, "Toutes les questions"),
    ]);
    series.forEach(function (serie) {
      var value = perCategoryOverall[serie.id];
      totalRow.appendChild(h("td", {
        "data-total": serie.id,
        "data-score": value === null ? "" : value,
        class: serie.id === OVERALL.id ? "autodiag-col-ensemble" : null,
      }, formatPercent(value)));
    });
    body.appendChild(totalRow);

    // On a phone the table is wider than the screen and scrolls in this box: the box takes the
    // keyboard's focus so the arrow keys can scroll it (WCAG 2.1.1).
    return h("div", {
      class: "autodiag-tableau",
      tabindex: "0",
      role: "region",
      "aria-label": "Tableau des scores",
    }, h("table", {}, [
      h("caption", {}, "Scores par axe et par catégorie d'acteurs, en pourcentage du maximum (« — » : aucune réponse)"),
      h("thead", {}, headRow),
      body,
    ]));
  }

  function buildReading(result) {
    var items = [];
    var overall = result.scores[OVERALL.id];
    var answeredAxes = AXES.filter(function (axe) { return overall[axe.id] !== null; });
    if (answeredAxes.length) {
      var sorted = answeredAxes.slice().sort(function (a, b) {
        return overall[b.id] - overall[a.id];
      });
      var best = sorted[0];
      var worst = sorted[sorted.length - 1];
      items.push(h("li", {}, [
        "Axe le plus avancé : ",
        h("strong", {}, best.label),
        " (" + formatPercent(overall[best.id]) + ").",
      ]));
      if (worst !== best) {
        items.push(h("li", {}, [
          "Axe à travailler en priorité : ",
          h("strong", {}, worst.label),
          " (" + formatPercent(overall[worst.id]) + ").",
        ]));
      }
    }
    AXES.forEach(function (axe) {
      var values = CATEGORIES.map(function (cat) {
        return { cat: cat, value: result.scores[cat.id][axe.id] };
      }).filter(function (x) { return x.value !== null; });
      if (values.length < 2) return;
      values.sort(function (a, b) { return b.value - a.value; });
      var hi = values[0];
      var lo = values[values.length - 1];
      if (hi.value - lo.value >= GAP_THRESHOLD) {
        items.push(h("li", {}, [
          h("strong", {}, axe.label),
          " : " + (hi.value - lo.value) + " points d'écart entre « " + hi.cat.label + " » (" +
            formatPercent(hi.value) + ") et « " + lo.cat.label + " » (" + formatPercent(lo.value) +
            "). Un écart de perception à discuter en comité de pilotage.",
        ]));
      }
    });
    if (!items.length) return null;
    return h("div", { class: "autodiag-lecture" }, [
      h("h3", {}, "Points à discuter"),
      h("ul", {}, items),
    ]);
  }

  function renderResults(container, result, structure) {
    container.textContent = "";
    var now = new Date();
    var incomplete = CATEGORIES.concat([OVERALL]).filter(function (serie) {
      return !isComplete(result.scores[serie.id]) &&
        AXES.some(function (axe) { return result.scores[serie.id][axe.id] !== null; });
    });

    container.appendChild(h("p", { class: "autodiag-meta" }, [
      structure ? "Structure ou groupe : " + structure + ". " : "",
      "Calculé le " + frenchDateTime(now) + ", " + result.answered + " réponse" +
        (result.answered > 1 ? "s" : "") + " sur " + result.total + " questions.",
    ]));
    container.appendChild(h("p", { class: "autodiag-global" }, [
      "Score global : ",
      h("strong", { id: "autodiag-score-global", "data-score": result.overall }, formatPercent(result.overall)),
      " — niveau « " + levelOf(result.overall) + " »",
    ]));

    var radar = buildRadar(result);
    container.appendChild(h("figure", { class: "autodiag-figure" }, [
      radar.svg,
      h("figcaption", {}, [
        "Un polygone par catégorie d'acteurs renseignée, et le trait épais pour l'ensemble. " +
          "Plus le polygone s'étend vers l'extérieur, plus l'axe est mûr.",
        buildLegend(radar.drawn),
      ]),
    ]));
    if (incomplete.length) {
      container.appendChild(h("p", { class: "autodiag-avertissement" },
        "Non tracé sur le radar, faute de réponse sur au moins un axe : " +
          incomplete.map(function (x) { return x.label; }).join(", ") + "."));
    }
    container.appendChild(buildTable(result));
    var reading = buildReading(result);
    if (reading) container.appendChild(reading);
    container.appendChild(h("p", { class: "autodiag-niveaux" },
      "Grille de lecture (convention de Virage) : 0 à 24 % « À construire », 25 à 49 % « Fragile », " +
        "50 à 74 % « En progression », 75 à 100 % « Solide »."));
    container.hidden = false;
    var placeholder = document.getElementById("autodiag-resultats-vide");
    if (placeholder) placeholder.hidden = true;
  }

  // ---------------------------------------------------------------------------------------
  // Exports: CSV and JSON, built in the browser (Blob + object URL, no network)
  // ---------------------------------------------------------------------------------------

  function csvCell(value) {
    var text = value === null || value === undefined ? "" : String(value);
    return /[";\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  function buildCsv(result, structure) {
    var series = CATEGORIES.concat([OVERALL]);
    var rows = [];
    rows.push(["Autodiagnostic de maturité numérique — Virage"]);
    rows.push(["Structure ou groupe", structure || ""]);
    rows.push(["Date", isoDate(new Date())]);
    rows.push(["Réponses", result.answered + " sur " + result.total]);
    rows.push([]);
    rows.push(["axe_id", "Axe"].concat(series.map(function (x) { return x.label; })));
    AXES.forEach(function (axe) {
      rows.push([axe.id, axe.label].concat(series.map(function (serie) {
        return result.scores[serie.id][axe.id];
      })));
    });
    rows.push(["global", "Toutes les questions"].concat(series.map(function (serie) {
      return result.perCategoryOverall[serie.id];
    })));
    rows.push([]);
    rows.push(["question_id", "Catégorie", "Axe", "Question", "Réponse (0 à 4)"]);
    questionList().forEach(function (q) {
      rows.push([q.id, seriesLabel(q.categorie), axisById(q.axe).label, q.text,
        result.answers[q.id] === undefined ? "" : result.answers[q.id]]);
    });
    return "\uFEFF" + rows.map(function (row) { return row.map(csvCell).join(";"); }).join("\r\n") + "\r\n";
  }

  function buildJson(result, structure) {
    var scores = {};
    CATEGORIES.concat([OVERALL]).forEach(function (serie) {
      scores[serie.id] = result.scores[serie.id];
    });
    return JSON.stringify({
      outil: "Virage — autodiagnostic de maturité numérique",
      version: TOOL_VERSION,
      date: isoDate(new Date()),
      structure: structure || "",
      echelle: SCALE,
      axes: AXES.map(function (a) { return { id: a.id, libelle: a.label }; }),
      categories: CATEGORIES.map(function (c) { return { id: c.id, libelle: c.label }; }),
      scores: scores,
      score_global: result.overall,
      scores_par_categorie: result.perCategoryOverall,
      reponses: questionList().map(function (q) {
        return {
          id: q.id,
          categorie: q.categorie,
          axe: q.axe,
          question: q.text,
          valeur: result.answers[q.id] === undefined ? null : result.answers[q.id],
        };
      }),
    }, null, 2);
  }

  function download(content, filename, mime) {
    var blob = new Blob([content], { type: mime });
    var url = URL.createObjectURL(blob);
    var link = document.createElement("a");
    link.href = url;
    link.download = filename;
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    document.body.removeChild(link);
    window.setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }

  function slug(text) {
    var base = (text || "").normalize ? (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "") : text || "";
    base = base.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
    return base ? "-" + base.slice(0, 40) : "";
  }

  // ---------------------------------------------------------------------------------------
  // Wiring
  // ---------------------------------------------------------------------------------------

  function init() {
    var form = document.getElementById("autodiag-form");
    if (!form || form.getAttribute("data-autodiag-pret") === "1") return;
    form.setAttribute("data-autodiag-pret", "1");

    var questionsBox = document.getElementById("autodiag-questions") || form;
    var results = document.getElementById("autodiag-resultats");
    var status = document.getElementById("autodiag-statut");
    var structureInput = document.getElementById("autodiag-structure");
    var noscript = document.querySelectorAll(".autodiag-sans-js");
    for (var i = 0; i < noscript.length; i++) noscript[i].hidden = true;

    buildQuestionnaire(questionsBox);
    form.classList.add("autodiag-actif");

    function say(message) {
      if (status) status.textContent = message;
    }

    var state = loadState();
    if (state) {
      applyAnswers(form, state.reponses);
      if (structureInput && typeof state.structure === "string") structureInput.value = state.structure;
      var restored = Object.keys(state.reponses || {}).length;
      if (restored) {
        say("Vos " + restored + " réponses enregistrées dans ce navigateur ont été rechargées.");
      }
    }
    updateProgress(form, readAnswers(form));

    function structureName() {
      return structureInput ? structureInput.value.trim() : "";
    }

    function persist() {
      var ok = saveState({
        version: TOOL_VERSION,
        structure: structureName(),
        reponses: readAnswers(form),
        enregistre_le: new Date().toISOString(),
      });
      if (!ok) say("Ce navigateur refuse l'enregistrement local : vos réponses seront perdues au rechargement.");
    }

    function calculate() {
      var answers = readAnswers(form);
      var result = computeScores(answers);
      if (!result.answered) {
        say("Répondez au moins à une question avant de calculer.");
        return null;
      }
      renderResults(results, result, structureName());
      say("Résultats calculés : score global " + formatPercent(result.overall) + ".");
      return result;
    }

    form.addEventListener("change", function (event) {
      if (event.target && event.target.type === "radio") {
        updateProgress(form, readAnswers(form));
        persist();
      }
    });
    if (structureInput) structureInput.addEventListener("input", persist);

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var result = calculate();
      if (result) {
        var heading = document.getElementById("resultats") || results;
        results.focus({ preventScroll: true });
        if (heading.scrollIntoView) heading.scrollIntoView({ block: "start" });
      }
    });

    function bind(id, handler) {
      var button = document.getElementById(id);
      if (button) button.addEventListener("click", handler);
    }

    bind("autodiag-telecharger", function () {
      var result = calculate();
      if (!result) return;
      download(buildCsv(result, structureName()),
        "autodiagnostic-virage" + slug(structureName()) + "-" + isoDate(new Date()) + ".csv",
        "text/csv;charset=utf-8");
      say("Fichier CSV créé dans votre navigateur : rien n'a été envoyé.");
    });

    bind("autodiag-telecharger-json", function () {
      var result = calculate();
      if (!result) return;
      download(buildJson(result, structureName()),
        "autodiagnostic-virage" + slug(structureName()) + "-" + isoDate(new Date()) + ".json",
        "application/json;charset=utf-8");
      say("Fichier JSON créé dans votre navigateur : rien n'a été envoyé.");
    });

    bind("autodiag-imprimer", function () {
      if (calculate()) window.print();
    });

    bind("autodiag-effacer", function () {
      clearState();
      form.reset();
      if (structureInput) structureInput.value = "";
      results.textContent = "";
      results.hidden = true;
      var placeholder = document.getElementById("autodiag-resultats-vide");
      if (placeholder) placeholder.hidden = false;
      updateProgress(form, {});
      say("Vos réponses ont été effacées de ce navigateur.");
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
  if (typeof window.document$ !== "undefined" && window.document$ && window.document$.subscribe) {
    window.document$.subscribe(init);
  }
})();
