#!/usr/bin/env python3
"""Seed corpora for the fuzz targets, from the repository's corpus/, tests/data/ and rules/.

Run from anywhere: python3 fuzz/make_seeds.py. Writes fuzz/corpus/<target>/ (git-ignored).
"""
import glob
import gzip
import json
import os

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
F = f'{root}/fuzz/corpus'
for t in ('pipeline_bytes', 'readers', 'rule_loader'):
    os.makedirs(f'{F}/{t}', exist_ok=True)


def put(target, name, data):
    if isinstance(data, str):
        data = data.encode()
    with open(f'{F}/{target}/{name}', 'wb') as f:
        f.write(data)


# pipeline_bytes: every corpus article, a few re-encoded, and the tests/data file.
arts = sorted(glob.glob(f'{root}/corpus/*/*.html') + glob.glob(f'{root}/corpus/*/*.txt'))
for a in arts:
    put('pipeline_bytes', a.split('/')[-2] + '-' + a.split('/')[-1], open(a, 'rb').read())
vi = open(arts[0], encoding='utf-8').read()
ru = [a for a in arts if '/ru/' in a][0]
put('pipeline_bytes', 'ru-cp1251.txt', open(ru, encoding='utf-8').read().encode('cp1251', 'replace'))
put('pipeline_bytes', 'vi-cp1258.html', vi.encode('cp1258', 'replace'))
put('pipeline_bytes', 'vi-utf16le.txt', '\ufeff'.encode('utf-16-le') + vi.encode('utf-16-le'))
for d in glob.glob(f'{root}/tests/data/*.toml'):
    put('pipeline_bytes', os.path.basename(d), open(d, 'rb').read())

# readers: the corpus JSON Lines files, JSON Lines and WARC files built from corpus articles.
put('readers', 'gold.jsonl', open(f'{root}/corpus/gold.jsonl', 'rb').read()[:65536])
put('readers', 'translations.jsonl', open(f'{root}/corpus/translations.jsonl', 'rb').read()[:65536])
lines = []
for a in arts[:12]:
    t = open(a, encoding='utf-8').read()[:3000]
    key = 'html' if a.endswith('.html') else 'text'
    lines.append(json.dumps({'url': 'https://x.example/' + os.path.basename(a), key: t,
                             'lang': a.split('/')[-2]}, ensure_ascii=False))
lines.insert(3, '')
lines.insert(5, '{"text": 5}')
lines.insert(6, '[1,2]')
lines.insert(7, '{"title": "x"}')
put('readers', 'articles.jsonl', '\n'.join(lines[:6]) + '\n')
put('readers', 'articles2.jsonl', '\r\n'.join(lines[6:]))
put('readers', 'articles.jsonl.gz', gzip.compress(('\n'.join(lines[:4])).encode()))


def rec(t, uri, body, extra=''):
    if isinstance(body, str):
        body = body.encode()
    h = (f'WARC/1.0\r\nWARC-Type: {t}\r\nWARC-Target-URI: <{uri}>\r\n'
         f'WARC-Record-ID: <urn:uuid:1>\r\n{extra}Content-Length: {len(body)}\r\n\r\n')
    return h.encode() + body + b'\r\n\r\n'


def http(body, ct='text/html; charset=utf-8', extra=''):
    if isinstance(body, str):
        body = body.encode()
    return f'HTTP/1.1 200 OK\r\nContent-Type: {ct}\r\n{extra}\r\n'.encode() + body


def chunk(b):
    out = b''
    for i in range(0, len(b), 700):
        c = b[i:i + 700]
        out += b'%x\r\n' % len(c) + c + b'\r\n'
    return out + b'0\r\n\r\n'


htmls = [a for a in arts if a.endswith('.html')]
txts = [a for a in arts if a.endswith('.txt')]
w = rec('warcinfo', '', 'software: test\r\n')
w += rec('request', 'https://a.example/1', 'GET / HTTP/1.1\r\n\r\n')
w += rec('response', 'https://a.example/1', http(open(htmls[0], 'rb').read()[:6000]))
w += rec('response', 'https://a.example/2', http(open(txts[0], 'rb').read()[:4000], 'text/plain'))
put('readers', 'small.warc', w)
w2 = rec('response', 'https://a.example/3',
         http(chunk(open(htmls[1], 'rb').read()[:5000]), extra='Transfer-Encoding: chunked\r\n'))
w2 += rec('response', 'https://a.example/4',
          http(gzip.compress(open(htmls[2], 'rb').read()[:5000]), extra='Content-Encoding: gzip\r\n'))
w2 += rec('response', 'https://a.example/5', http(b'\x89PNG\r\n\x1a\n....', 'image/png'))
w2 += rec('response', 'https://a.example/6',
          http(open(ru, encoding='utf-8').read()[:3000].encode('cp1251', 'replace'),
               'text/html; charset=windows-1251'))
w2 += rec('response', 'https://a.example/7', open(htmls[3], 'rb').read()[:3000])
put('readers', 'mixed.warc', w2)
put('readers', 'small.warc.gz', gzip.compress(w))
put('readers', 'cut.warc', w[:len(w) - 500])

# rule_loader: every rule file.
for r in sorted(glob.glob(f'{root}/rules/*/*.toml')):
    put('rule_loader', r.split('/')[-2] + '-' + r.split('/')[-1], open(r, 'rb').read())
