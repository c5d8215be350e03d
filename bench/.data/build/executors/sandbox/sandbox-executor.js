import { googleDomainForCountry } from '../../domain/google-domains.js';
import { STATUS } from '../../domain/status-codes.js';
import { renderImagesAdvanced, renderImagesExample, renderImagesHtml } from './google-images.js';
const RENDERERS = {
    'google/images': { advanced: renderImagesAdvanced, html: renderImagesHtml },
};
const EXAMPLES = {
    'google/images': { advanced: renderImagesExample, html: renderImagesHtml },
};
function renderInput(input, datetime) {
    const r = input.request;
    return {
        taskId: input.id,
        keyword: r.keyword,
        locationCode: r.locationCode ?? 0,
        languageCode: r.languageCode,
        countryIso: r.countryIso,
        seDomain: r.seDomain ?? googleDomainForCountry(r.countryIso),
        os: r.os,
        depth: r.depth,
        searchParam: r.searchParam,
        datetime,
    };
}
export function createSandboxExecutor(options) {
    return {
        name: 'sandbox',
        latencyMs: (priority) => (priority === 2 ? options.latency.high : options.latency.normal),
        async execute() {
            return { statusCode: STATUS.OK.code, statusMessage: STATUS.OK.message };
        },
        render(input, fn, datetime) {
            const render = RENDERERS[`${input.def.se}/${input.def.seType}`]?.[fn];
            return render ? render(renderInput(input, datetime)) : null;
        },
        example(def, fn, datetime) {
            const render = EXAMPLES[`${def.se}/${def.seType}`]?.[fn];
            if (!render)
                return null;
            return render({
                taskId: '00000000-0000-0000-0000-000000000000',
                keyword: 'albert einstein',
                locationCode: 2840,
                languageCode: 'en',
                countryIso: 'US',
                seDomain: 'google.com',
                os: 'windows',
                depth: 10,
                searchParam: null,
                datetime,
            });
        },
    };
}
