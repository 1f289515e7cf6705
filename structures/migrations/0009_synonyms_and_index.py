"""The default synonyms of social-services words (the coordinator edits them in the
admin), and the first build of the search index for a directory that already has data."""

from django.db import migrations

SYNONYMS = [
    "APL, aide au logement, aide personnalisée au logement, allocation logement, ALS, ALF",
    "RSA, revenu de solidarité active, RMI, minima sociaux",
    "115, hébergement d'urgence, SIAO, mise à l'abri, samu social",
    "banque alimentaire, aide alimentaire, colis alimentaire, colis, épicerie solidaire, "
    "distribution alimentaire, restos du cœur",
    "France Travail, Pôle emploi, ANPE, recherche d'emploi, demandeur d'emploi",
    "C2S, CMU, CMU-C, complémentaire santé solidaire, ACS, mutuelle, complémentaire santé",
    "AAH, allocation aux adultes handicapés",
    "MDPH, maison départementale des personnes handicapées, MDMPH",
    "PMI, protection maternelle et infantile",
    "violences conjugales, violences faites aux femmes, violences intrafamiliales, "
    "femmes battues, 3919",
    "FLE, ASL, apprendre le français, cours de français, alphabétisation, "
    "atelier sociolinguistique, français langue étrangère",
    "domiciliation, adresse postale, élection de domicile, boîte aux lettres",
    "RQTH, reconnaissance de la qualité de travailleur handicapé, travailleur handicapé",
    "CAF, caisse d'allocations familiales, allocations familiales",
    "CPAM, assurance maladie, sécurité sociale, carte vitale",
    "CCAS, centre communal d'action sociale",
    "CIAS, centre intercommunal d'action sociale",
    "MDR, maison du Rhône, maison de la métropole, MDM",
    "CIDFF, droits des femmes, centre d'information sur les droits des femmes et des familles",
    "mission locale, insertion des jeunes, PAIO",
    "CMP, centre médico-psychologique, psychiatrie, santé mentale",
    "CMPP, centre médico-psycho-pédagogique",
    "PASS, permanence d'accès aux soins de santé, soins gratuits",
    "AME, aide médicale d'état",
    "CADA, demandeurs d'asile, centre d'accueil de demandeurs d'asile, asile",
    "CHRS, centre d'hébergement et de réinsertion sociale",
    "crèche, halte-garderie, multi-accueil, garde d'enfants, EAJE, accueil du jeune enfant",
    "assistante maternelle, nounou, RAM, RPE, relais petite enfance",
    "ASE, aide sociale à l'enfance, protection de l'enfance",
    "AEMO, action éducative en milieu ouvert",
    "prévention spécialisée, éducateur de rue, éducateurs de rue",
    "assistante sociale, assistant social, travailleur social, AS",
    "CESF, conseillère en économie sociale et familiale",
    "FSL, fonds de solidarité logement, impayés de loyer, dette de loyer",
    "expulsion, expulsion locative, commission de prévention des expulsions, CCAPEX",
    "logement social, HLM, bailleur social, demande de logement social",
    "DALO, droit au logement opposable",
    "surendettement, dettes, commission de surendettement, Banque de France",
    "budget, gestion du budget, point conseil budget, PCB",
    "écrivain public, aide aux démarches administratives, courrier, remplir un dossier",
    "numérique, aide numérique, ordinateur, internet, conseiller numérique, fracture numérique",
    "MSAP, France services, maison France services, maison de services au public",
    "CLIC, coordination gérontologique, personnes âgées",
    "personnes âgées, seniors, aînés, retraités, troisième âge",
    "APA, allocation personnalisée d'autonomie, perte d'autonomie",
    "EHPAD, maison de retraite",
    "SAAD, aide à domicile, aide ménagère, auxiliaire de vie",
    "SSIAD, soins infirmiers à domicile",
    "portage de repas, repas à domicile",
    "téléassistance, téléalarme",
    "handicap, personnes handicapées, personnes en situation de handicap, invalidité",
    "PCH, prestation de compensation du handicap",
    "AEEH, allocation d'éducation de l'enfant handicapé",
    "ESAT, établissement et service d'aide par le travail, CAT",
    "SIAE, insertion par l'activité économique, IAE, chantier d'insertion, ACI",
    "PLIE, plan local pour l'insertion et l'emploi",
    "CEJ, contrat d'engagement jeune, garantie jeunes",
    "apprentissage, alternance, contrat d'apprentissage, CFA",
    "formation, formation professionnelle, stage, qualification",
    "CPF, compte personnel de formation",
    "VAE, validation des acquis de l'expérience",
    "CV, curriculum vitae, lettre de motivation",
    "chômage, ARE, allocation chômage, allocation de retour à l'emploi",
    "prime d'activité, complément de revenu",
    "ASPA, minimum vieillesse, allocation de solidarité aux personnes âgées",
    "ASS, allocation de solidarité spécifique",
    "AJPP, allocation journalière de présence parentale",
    "PAJE, prestation d'accueil du jeune enfant, allocation de naissance",
    "ARS, allocation de rentrée scolaire, fournitures scolaires",
    "bourse scolaire, bourses, aide à la scolarité",
    "soutien scolaire, aide aux devoirs, accompagnement à la scolarité, CLAS",
    "décrochage scolaire, déscolarisation, raccrochage",
    "parentalité, soutien à la parentalité, aide aux parents, REAAP",
    "LAEP, lieu d'accueil enfants parents",
    "médiation familiale, séparation, divorce, conflit familial",
    "pension alimentaire, ARIPA, impayés de pension",
    "aide juridique, accès au droit, avocat, consultation juridique, point justice, CDAD",
    "aide juridictionnelle, avocat gratuit",
    "aide aux victimes, victime, France victimes, plainte",
    "titre de séjour, carte de séjour, préfecture, régularisation, droit des étrangers",
    "étrangers, migrants, personnes exilées, réfugiés, primo-arrivants",
    "OFII, office français de l'immigration et de l'intégration, CIR, contrat d'intégration",
    "interprète, traduction, interprétariat",
    "addiction, addictologie, alcool, drogue, CSAPA, CAARUD, toxicomanie",
    "dépistage, CeGIDD, IST, VIH, sida",
    "planning familial, contraception, IVG, CPEF, centre de santé sexuelle",
    "vaccination, consultation nourrisson, suivi de grossesse, carnet de santé",
    "médecin, médecin traitant, généraliste, centre de santé, maison de santé",
    "dentiste, soins dentaires",
    "santé mentale, souffrance psychique, psychologue, écoute",
    "suicide, prévention du suicide, 3114",
    "aide financière, secours, aide ponctuelle, aide d'urgence, secours d'urgence",
    "vêtements, vestiaire, vestiboutique, habits",
    "meubles, mobilier, ressourcerie, recyclerie, électroménager",
    "énergie, facture d'électricité, chèque énergie, précarité énergétique, impayés d'énergie",
    "eau, facture d'eau, impayés d'eau",
    "transport, mobilité, permis de conduire, tarification solidaire, TCL",
    "sans-abri, SDF, sans domicile fixe, sans logement, personnes à la rue",
    "accueil de jour, halte de jour, douche, bagagerie",
    "maraude, équipe mobile, aller vers",
    "lien social, isolement, rompre l'isolement, convivialité",
    "centre social, maison de quartier, MJC, espace de vie sociale",
    "bénévolat, bénévole, engagement, service civique",
    "loisirs, vacances, séjours, centre de loisirs, accueil de loisirs, ALSH",
    "sport, activité physique, licence sportive, pass'sport",
    "culture, sortie culturelle, bibliothèque, médiathèque",
    "QPV, quartier prioritaire, politique de la ville",
    "tutelle, curatelle, mesure de protection, mandataire judiciaire, MJPM",
    "MASP, mesure d'accompagnement social personnalisé",
    "SPIP, service pénitentiaire d'insertion et de probation, sortie de prison, justice",
    "PJJ, protection judiciaire de la jeunesse",
]


def synonyms_add(apps, schema_editor):
    Synonym = apps.get_model("structures", "Synonym")
    Synonym.objects.bulk_create(Synonym(terms=terms) for terms in SYNONYMS)


def synonyms_remove(apps, schema_editor):
    apps.get_model("structures", "Synonym").objects.filter(terms__in=SYNONYMS).delete()


def index_build(apps, schema_editor):
    """A directory migrated from an older version gets its index at once; a new database
    has nothing to index. (Runs today's index code: only when there is data to index.)"""
    if not apps.get_model("structures", "Structure").objects.exists():
        return
    from structures.search.index import search_index_rebuild

    search_index_rebuild()


class Migration(migrations.Migration):
    dependencies = [("structures", "0008_search_engines")]

    operations = [
        migrations.RunPython(synonyms_add, synonyms_remove),
        migrations.RunPython(index_build, migrations.RunPython.noop),
    ]
