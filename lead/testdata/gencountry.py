# Generates lead/country_table.go from Debian's iso-codes 4.15 (ISO 3166-1
# codes, English names and their translations). Native names: the name of
# each country in its main languages, listed by hand below.
import json, gettext, unicodedata, re, sys
d = json.load(open('/usr/share/iso-codes/json/iso_3166-1.json'))['3166-1']
langs = {
 'AL':['sq'],'AD':['ca'],'AM':['hy'],'AO':['pt'],'AR':['es'],'AT':['de'],'AZ':['az'],'BA':['bs','hr','sr','sr@latin'],
 'BD':['bn'],'BE':['nl','fr','de'],'BG':['bg'],'BO':['es'],'BR':['pt_BR','pt'],'BY':['be','ru'],'CH':['de','fr','it'],
 'CL':['es'],'CN':['zh_CN'],'CO':['es'],'CR':['es'],'CU':['es'],'CY':['el','tr'],'CZ':['cs'],'DE':['de'],'DK':['da'],
 'DO':['es'],'DZ':['ar','fr'],'EC':['es'],'EE':['et'],'EG':['ar'],'ES':['es','ca','eu','gl'],'ET':['am'],'FI':['fi','sv'],
 'FO':['fo'],'FR':['fr'],'GE':['ka'],'GL':['kl','da'],'GR':['el'],'GT':['es'],'HK':['zh_HK'],'HN':['es'],'HR':['hr'],
 'HU':['hu'],'ID':['id'],'IE':['ga'],'IL':['he'],'IN':['hi'],'IQ':['ar'],'IR':['fa'],'IS':['is'],'IT':['it'],'JO':['ar'],
 'JP':['ja'],'KE':['sw'],'KG':['ky','ru'],'KH':['km'],'KR':['ko'],'KW':['ar'],'KZ':['kk','ru'],'LA':['lo'],'LB':['ar','fr'],
 'LI':['de'],'LK':['si','ta'],'LT':['lt'],'LU':['fr','de'],'LV':['lv'],'LY':['ar'],'MA':['ar','fr'],'MC':['fr'],
 'MD':['ro'],'ME':['sr','sr@latin'],'MK':['mk'],'MM':['my'],'MN':['mn'],'MO':['zh_HK','pt'],'MT':['mt'],'MX':['es'],
 'MY':['ms'],'MZ':['pt'],'NI':['es'],'NL':['nl'],'NO':['nb','nn'],'NP':['ne'],'OM':['ar'],'PA':['es'],'PE':['es'],
 'PH':['fil','tl'],'PK':['ur'],'PL':['pl'],'PT':['pt'],'PY':['es'],'QA':['ar'],'RO':['ro'],'RS':['sr','sr@latin'],
 'RU':['ru'],'SA':['ar'],'SE':['sv'],'SI':['sl'],'SK':['sk'],'SM':['it'],'SN':['fr'],'SO':['so'],'SV':['es'],'SY':['ar'],
 'TH':['th'],'TJ':['tg'],'TM':['tk'],'TN':['ar','fr'],'TR':['tr'],'TW':['zh_TW'],'TZ':['sw'],'UA':['uk'],'UY':['es'],
 'UZ':['uz'],'VA':['it'],'VE':['es'],'VN':['vi'],'YE':['ar'],'ZA':['af'],'CI':['fr'],'CM':['fr'],'CD':['fr'],'CG':['fr'],
 'HT':['fr','ht'],'ML':['fr'],'NE':['fr'],'BF':['fr'],'TG':['fr'],'BJ':['fr'],'GA':['fr'],'MG':['fr'],'AE':['ar'],'BH':['ar'],
 'SD':['ar'],'MR':['ar'],'AF':['ps','fa'],'PR':['es'],'GQ':['es'],'CV':['pt'],'GW':['pt'],'ST':['pt'],'TL':['pt'],
}
# Hand-written aliases: common English short forms and historic names CRMs still carry.
aliases = {
 'US':['USA','U.S.','U.S.A.','United States of America','America','Estados Unidos'],
 'GB':['UK','U.K.','Great Britain','Britain','England','Scotland','Wales','Northern Ireland','United Kingdom of Great Britain and Northern Ireland'],
 'NL':['Holland','The Netherlands'],'KR':['South Korea','Korea, South','Republic of Korea'],'KP':['North Korea','Korea, North'],
 'RU':['Russia'],'CZ':['Czech Republic'],'CI':["Ivory Coast","Cote d'Ivoire"],'VA':['Vatican','Vatican City'],
 'IR':['Iran'],'SY':['Syria'],'VN':['Vietnam','Viet Nam'],'LA':['Laos'],'MM':['Burma'],'SZ':['Swaziland'],'MK':['Macedonia'],
 'CV':['Cape Verde'],'TL':['East Timor'],'TR':['Turkey','Türkiye','Turkiye'],'AE':['UAE','U.A.E.','Emirates'],'BO':['Bolivia'],
 'VE':['Venezuela'],'TZ':['Tanzania'],'MD':['Moldova'],'TW':['Taiwan','Republic of China'],'CN':["People's Republic of China",'PRC','Mainland China'],
 'CD':['DR Congo','DRC','Congo-Kinshasa','Democratic Republic of Congo','Democratic Republic of the Congo'],'IE':['Republic of Ireland'],'CG':['Congo-Brazzaville','Republic of the Congo'],
 'BN':['Brunei'],'PS':['Palestine'],'FM':['Micronesia'],'HK':['Hong Kong SAR'],'MO':['Macau','Macao SAR'],'KN':['St Kitts and Nevis'],
 'LC':['St Lucia'],'VC':['St Vincent and the Grenadines'],'BS':['The Bahamas'],'GM':['The Gambia'],'DE':['Germany','West Germany'],
 'CH':['Schweiz','Suisse','Svizzera'],'BE':['Belgique','België','Belgien'],'SA':['KSA','المملكة العربية السعودية'],'KR':['South Korea','Korea, South','Republic of Korea','한국'],
 'RU':['Russia','Россия'],'TW':['Taiwan','Republic of China','台灣','臺灣'],'IR':['Iran','ایران'],'GE':['Sakartvelo'],'JP':['Nippon','Nihon'],
}
def fold(s):
    s = unicodedata.normalize('NFKD', s)
    s = ''.join(c for c in s if not unicodedata.combining(c))
    return s
def key(s):
    s = s.lower().replace('&', ' and ')
    s = re.sub(r"[.,'’()\-/]", ' ', s)
    s = ' '.join(s.split())
    if s.startswith('the '): s = s[4:]
    return s
idx = {}
conflicts = []
def add(k, code, src):
    if not k: return
    ks = {key(k)}
    if fold(k).isascii(): ks.add(key(fold(k)))
    for kk in ks:
        if kk in idx and idx[kk][0] != code:
            conflicts.append((kk, idx[kk], (code, src)))
            idx[kk] = (None, 'conflict')
        elif kk not in idx:
            idx[kk] = (code, src)
tr = {}
for c in d:
    a2 = c['alpha_2']
    for f in ('name','common_name','official_name'):
        if f in c: add(c[f], a2, 'en')
for a2, ls in langs.items():
    c = next(x for x in d if x['alpha_2'] == a2)
    for l in ls:
        try:
            t = gettext.translation('iso_3166-1', '/usr/share/locale', languages=[l])
        except OSError:
            print('no', l, file=sys.stderr); continue
        for f in ('name','common_name'):
            if f in c:
                n = t.gettext(c[f])
                if n != c[f]: add(n, a2, l)
for a2, al in aliases.items():
    for a in al: add(a, a2, 'alias')
for k, (v, s) in list(idx.items()):
    if v is None: del idx[k]
print('conflicts', conflicts, file=sys.stderr)
# Codes: alpha-2 and alpha-3 are matched separately (upper-cased input).
out = []
out.append('// Code generated by testdata/gencountry.py DO NOT EDIT.\n\n// The table comes from Debian iso-codes 4.15.0 (ISO 3166-1 codes, English\n// names and their translations) and the script\'s hand-written aliases.\n\npackage lead\n')
out.append('// countryCodes lists the ISO 3166-1 countries as alpha-2, alpha-3,\n// sorted by alpha-2.\nvar countryCodes = [...][2]string{')
for c in sorted(d, key=lambda c: c['alpha_2']):
    out.append('\t{"%s", "%s"},' % (c['alpha_2'], c['alpha_3']))
out.append('}\n')
out.append('// countryNames maps a folded country name (see foldCountry) to its\n// alpha-2 code, sorted by name.\nvar countryNames = [...][2]string{')
for k in sorted(idx):
    lit = ''.join('\\u%04x' % ord(ch) if unicodedata.category(ch) == 'Cf' else ch for ch in json.dumps(k, ensure_ascii=False))
    out.append('\t{%s, "%s"},' % (lit, idx[k][0]))
out.append('}')
open(sys.argv[1] if len(sys.argv) > 1 else 'country_table.go', 'w').write('\n'.join(out) + '\n')
print(len(idx), 'names', file=sys.stderr)
